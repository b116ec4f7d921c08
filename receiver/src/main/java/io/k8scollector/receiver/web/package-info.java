/** The inventory page at {@code /}: one HTML document whose script reads the query API. */
package io.k8scollector.receiver.web;
