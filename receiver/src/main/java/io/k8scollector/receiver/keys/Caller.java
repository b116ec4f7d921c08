package io.k8scollector.receiver.keys;

import java.util.Set;

/** Who a valid token belongs to: an access key and the clusters it may touch (empty: all). */
public record Caller(String accessKey, Set<String> clusters) {

    public Caller {
        clusters = Set.copyOf(clusters);
    }

    /** Whether this key may send to or read {@code clusterId}. */
    public boolean allows(String clusterId) {
        return clusters.isEmpty() || clusters.contains(clusterId);
    }
}
