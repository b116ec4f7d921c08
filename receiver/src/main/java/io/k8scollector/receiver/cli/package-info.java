/** The {@code k8s-receiver} command: {@code serve}, {@code keys create|list|revoke} and {@code clusters list|delete}. */
package io.k8scollector.receiver.cli;
