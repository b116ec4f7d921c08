/**
 * Shipping: records batched into pages, compressed and sent under the ingest protocol with retries; or, for a dry-run, written to standard output.
 */
package io.k8scollector.collector.shipping;
