/**
 * Tracking, in continuous mode: what was shipped of each object (its identity, resourceVersion and
 * ownership, never its body) and the changes waiting for the next delta, coalesced by record key.
 */
package io.k8scollector.collector.tracking;
