package io.k8scollector.receiver.server;

import io.k8scollector.receiver.health.ClusterStatus;
import io.k8scollector.receiver.health.Health;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The receiver's counters, rendered in the Prometheus text format with each cluster's health
 * gauges. Counters count what this replica handled; the cluster gauges come from the database,
 * so every replica reports the same values. Thread-safe.
 */
public final class ReceiverMetrics {

    private static final double[] COMMIT_BUCKETS = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final Map<Integer, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder objectsStored = new LongAdder();
    private final LongAdder requestsInFlight = new LongAdder();
    private final LongAdder[] commitBuckets = new LongAdder[COMMIT_BUCKETS.length];
    private final LongAdder commits = new LongAdder();
    private final LongAdder commitNanos = new LongAdder();
    private final LongAdder deltas = new LongAdder();
    private final LongAdder heartbeats = new LongAdder();
    private final LongAdder deletions = new LongAdder();

    public ReceiverMetrics() {
        for (int i = 0; i < commitBuckets.length; i++) {
            commitBuckets[i] = new LongAdder();
        }
    }

    private static void counter(StringBuilder out, String name, String help, LongAdder value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value.sum()).append('\n');
    }

    /** One sample labelled with its cluster (a cluster id needs no escaping: {@code [a-z0-9_-]+}). */
    private static void gauge(StringBuilder out, String name, String cluster, String value) {
        out.append(name).append("{cluster=\"").append(cluster).append("\"} ").append(value).append('\n');
    }

    /** An instant as Prometheus timestamps go: seconds since the epoch, to the millisecond. */
    private static String seconds(Instant at) {
        return BigDecimal.valueOf(at.toEpochMilli(), 3).stripTrailingZeros().toPlainString();
    }

    public void request(int status) {
        requests.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    /** A request took (+1) or gave back (-1) its place among its access key's requests in flight. */
    public void inFlight(int delta) {
        requestsInFlight.add(delta);
    }

    /** Request body bytes as received (before inflating). */
    public void bytesIn(long n) {
        bytesIn.add(n);
    }

    public void objectsStored(long n) {
        objectsStored.add(n);
    }

    public void commit(long nanos) {
        commits.increment();
        commitNanos.add(nanos);
        double seconds = nanos / 1e9;
        for (int i = 0; i < COMMIT_BUCKETS.length; i++) {
            if (seconds <= COMMIT_BUCKETS[i]) {
                commitBuckets[i].increment();
            }
        }
    }

    /** A fetching became current: a delta (a heartbeat too) or a full one, with its deletions. */
    public void committed(boolean delta, boolean heartbeat, long deleted) {
        if (delta) {
            deltas.increment();
        }
        if (heartbeat) {
            heartbeats.increment();
        }
        deletions.add(deleted);
    }

    /** The Prometheus exposition text, with the gauges of {@code clusters}. */
    public String render(List<ClusterStatus> clusters) {
        StringBuilder out = new StringBuilder();
        out.append("# HELP receiver_requests_total HTTP requests answered, by status.\n");
        out.append("# TYPE receiver_requests_total counter\n");
        new TreeMap<>(requests).forEach((status, n) ->
                out.append("receiver_requests_total{status=\"").append(status).append("\"} ").append(n.sum()).append('\n'));
        out.append("# HELP receiver_requests_in_flight Authenticated requests being handled, each holding a place"
                + " in its access key's quota on this replica.\n");
        out.append("# TYPE receiver_requests_in_flight gauge\n");
        out.append("receiver_requests_in_flight ").append(requestsInFlight.sum()).append('\n');
        out.append("# HELP receiver_bytes_in_total Request body bytes received, as sent (compressed).\n");
        out.append("# TYPE receiver_bytes_in_total counter\n");
        out.append("receiver_bytes_in_total ").append(bytesIn.sum()).append('\n');
        out.append("# HELP receiver_objects_stored_total Objects received in pages and stored.\n");
        out.append("# TYPE receiver_objects_stored_total counter\n");
        out.append("receiver_objects_stored_total ").append(objectsStored.sum()).append('\n');
        counter(out, "receiver_deltas_total", "Deltas committed (protocol 1.1), heartbeats included.", deltas);
        counter(out, "receiver_heartbeats_total", "Heartbeats (empty deltas) committed.", heartbeats);
        counter(out, "receiver_deletions_total", "Distinct deletions in committed deltas.", deletions);
        out.append("# HELP receiver_commit_seconds Time to commit a fetching.\n");
        out.append("# TYPE receiver_commit_seconds histogram\n");
        for (int i = 0; i < COMMIT_BUCKETS.length; i++) {
            out.append("receiver_commit_seconds_bucket{le=\"").append(COMMIT_BUCKETS[i]).append("\"} ")
                    .append(commitBuckets[i].sum()).append('\n');
        }
        out.append("receiver_commit_seconds_bucket{le=\"+Inf\"} ").append(commits.sum()).append('\n');
        out.append("receiver_commit_seconds_sum ").append(commitNanos.sum() / 1e9).append('\n');
        out.append("receiver_commit_seconds_count ").append(commits.sum()).append('\n');
        out.append("# HELP receiver_cluster_last_commit_timestamp_seconds When the cluster's last snapshot was committed.\n");
        out.append("# TYPE receiver_cluster_last_commit_timestamp_seconds gauge\n");
        for (ClusterStatus cluster : clusters) {
            if (cluster.committedAt() != null) {
                gauge(out, "receiver_cluster_last_commit_timestamp_seconds", cluster.id(), seconds(cluster.committedAt()));
            }
        }
        out.append("# HELP receiver_cluster_last_seen_timestamp_seconds When the cluster's collector last sent a request.\n");
        out.append("# TYPE receiver_cluster_last_seen_timestamp_seconds gauge\n");
        for (ClusterStatus cluster : clusters) {
            if (cluster.lastSeenAt() != null) {
                gauge(out, "receiver_cluster_last_seen_timestamp_seconds", cluster.id(), seconds(cluster.lastSeenAt()));
            }
        }
        out.append("# HELP receiver_cluster_healthy 1 when the cluster's health is ok, 0 when stale or failing.\n");
        out.append("# TYPE receiver_cluster_healthy gauge\n");
        for (ClusterStatus cluster : clusters) {
            gauge(out, "receiver_cluster_healthy", cluster.id(), cluster.health() == Health.OK ? "1" : "0");
        }
        return out.toString();
    }
}
