/**
 * Tracking, in continuous mode: the changes waiting for the next delta, coalesced by record key, and
 * the view of a shipped object ({@link io.k8scollector.collector.tracking.IndexedObject}) that the
 * one per-object index ({@link io.k8scollector.collector.enrichment.ObjectIndex}) gives.
 */
package io.k8scollector.collector.tracking;
