/**
 * HTTP wiring: the Javalin server with Jackson 3 as its JSON mapper, the error answers of the
 * protocol, authentication of bearer tokens, and the Prometheus metrics.
 */
package io.k8scollector.receiver.server;
