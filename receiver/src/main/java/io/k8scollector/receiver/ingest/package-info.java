/**
 * The ingest protocol's HTTP side: login, start, pages of records and commit. Bodies are read
 * as streams, inflated with a counting limit and parsed record by record under a nesting limit.
 */
package io.k8scollector.receiver.ingest;
