/** The {@code k8s-receiver} command: {@code serve} and {@code keys create|list|revoke}. */
package io.k8scollector.receiver.cli;
