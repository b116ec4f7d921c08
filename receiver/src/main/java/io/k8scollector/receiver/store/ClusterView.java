package io.k8scollector.receiver.store;

import java.time.Instant;

/** A cluster and its current snapshot (null fields: nothing committed yet). */
public record ClusterView(
        String id, String clusterUniqueId, String currentFetchingId, Instant committedAt, Long objectCount) {}
