package io.k8scollector.receiver.keys;

import java.util.Set;

/**
 * Who a valid token belongs to: an access key, the clusters it may touch (empty: all) and what
 * it may do there.
 */
public record Caller(String accessKey, Set<String> clusters, Set<Scope> scopes) {

    public Caller {
        clusters = Set.copyOf(clusters);
        scopes = Set.copyOf(scopes);
    }

    /** Whether this key may touch {@code clusterId} at all. */
    public boolean allows(String clusterId) {
        return clusters.isEmpty() || clusters.contains(clusterId);
    }

    /** Whether this key's tokens may do what {@code scope} covers. */
    public boolean may(Scope scope) {
        return scopes.contains(scope);
    }
}
