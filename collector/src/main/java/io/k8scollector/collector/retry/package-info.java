/**
 * Retry: the one policy and the one retrier every request to the API server and to the ingest
 * endpoint goes through (listing, discovery, shipping), fed by a pure classification of each
 * answer ({@link io.k8scollector.collector.retry.Verdict}). A leaf package: it knows HTTP status
 * codes and headers, nothing of the stages that use it.
 */
package io.k8scollector.collector.retry;
