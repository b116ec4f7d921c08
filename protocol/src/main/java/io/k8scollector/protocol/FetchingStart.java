package io.k8scollector.protocol;

import java.time.Instant;

/** Body of {@code POST /v1/clusters/{clusterId}/fetchings}: opens one snapshot. */
public record FetchingStart(
        String fetchingId,
        String clusterUniqueId,
        boolean overrideUniqueClusterId,
        Collector collector,
        Instant startedAt) {

    /** What the collector says of itself. */
    public record Collector(String version) {}
}
