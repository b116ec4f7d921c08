package io.k8scollector.receiver.store;

import java.time.Instant;

/**
 * A cluster, its current snapshot (null fields: nothing committed yet) and the last failure its
 * collector reported (null: none).
 */
public record ClusterView(
        String id, String clusterUniqueId, String currentFetchingId, Instant committedAt, Long objectCount,
        LastAbort lastAbort) {

    /**
     * The cluster's last abort (protocol 1.1): the collector is failing when it was received
     * after the current snapshot was committed.
     *
     * @param finishedAt when the run ended, by the collector's clock (null when it did not say)
     * @param receivedAt when this server received the abort
     */
    public record LastAbort(String fetchingId, String reason, String message, Instant finishedAt, Instant receivedAt) {}
}
