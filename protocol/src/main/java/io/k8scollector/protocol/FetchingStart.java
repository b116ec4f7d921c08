package io.k8scollector.protocol;

import java.time.Instant;

/**
 * Body of {@code POST /v1/clusters/{clusterId}/fetchings}: opens one snapshot.
 *
 * @param protocol {@link #PROTOCOL_1_1} from a 1.1 collector (the server then answers with a
 *     {@link StartAnswer}); null from a 1.0 one
 * @param base for a delta (protocol 1.1): the fetchingId of the cluster's current snapshot; null
 *     for a full fetching
 */
public record FetchingStart(
        String protocol,
        String fetchingId,
        String base,
        String clusterUniqueId,
        boolean overrideUniqueClusterId,
        Collector collector,
        Instant startedAt) {

    public static final String PROTOCOL_1_1 = "1.1";

    /** A 1.0 start: a full fetching, no protocol field. */
    public FetchingStart(
            String fetchingId, String clusterUniqueId, boolean overrideUniqueClusterId, Collector collector,
            Instant startedAt) {
        this(null, fetchingId, null, clusterUniqueId, overrideUniqueClusterId, collector, startedAt);
    }

    /** True when a 1.1 collector sent this start. */
    public boolean speaks11() {
        return PROTOCOL_1_1.equals(protocol);
    }

    /**
     * What the collector says of itself.
     *
     * @param mode {@link #CRONJOB} or {@link #CONTINUOUS} (protocol 1.1); null from a 1.0 collector
     * @param heartbeatSeconds a continuous collector's heartbeat interval; null means 60
     */
    public record Collector(String version, String mode, Integer heartbeatSeconds) {

        public static final String CRONJOB = "cronjob";
        public static final String CONTINUOUS = "continuous";
        /** What a server assumes when a continuous collector names no interval. */
        public static final int DEFAULT_HEARTBEAT_SECONDS = 60;

        /** A 1.0 collector's self-description: its version only. */
        public Collector(String version) {
            this(version, null, null);
        }

        /** The heartbeat interval to expect from this collector. */
        public int heartbeatSecondsOrDefault() {
            return heartbeatSeconds == null ? DEFAULT_HEARTBEAT_SECONDS : heartbeatSeconds;
        }
    }
}
