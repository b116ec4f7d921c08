package io.k8scollector.collector.health;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;

/**
 * The continuous collector's metrics, in a registry of their own (so that two collectors in one JVM,
 * as in tests, never share counts), served as {@code /metrics}. Names and labels are the issue's,
 * each prefixed {@code k8s_collector_}; {@code resource} is a type's qualified name
 * ({@code pods}, {@code deployments.apps}).
 */
public final class CollectorMetrics {

    /** Commit lag buckets, in seconds: the target is under 2 s with a flush each second. */
    private static final double[] LAG_BUCKETS = {0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter watchEvents = Counter.builder().name("k8s_collector_watch_events_total")
            .help("Watch events received (added, modified, deleted), by type.").labelNames("resource").register(registry);
    private final Counter deltas = Counter.builder().name("k8s_collector_deltas_total")
            .help("Delta fetchings committed with at least one change.").register(registry);
    private final Counter heartbeats = Counter.builder().name("k8s_collector_heartbeats_total")
            .help("Empty deltas committed because nothing changed for a heartbeat.").register(registry);
    private final Gauge pendingObjects = Gauge.builder().name("k8s_collector_pending_objects")
            .help("Changes waiting for the next delta.").register(registry);
    private final Gauge lastCommit = Gauge.builder().name("k8s_collector_last_commit_timestamp_seconds")
            .help("When the last commit (a full fetching, a delta or a heartbeat) succeeded, in Unix seconds.").register(registry);
    private final Histogram commitLag = Histogram.builder().name("k8s_collector_commit_lag_seconds")
            .help("From a change seen in a watch to the commit that shipped it.")
            .classicOnly().classicUpperBounds(LAG_BUCKETS).register(registry);
    private final Counter watchRestarts = Counter.builder().name("k8s_collector_watch_restarts_total")
            .help("Watches established again after their stream ended, by type.").labelNames("resource").register(registry);
    private final Counter relists = Counter.builder().name("k8s_collector_relists_total")
            .help("Types listed again after a watch expired (410 Gone) or at a resync, by type.").labelNames("resource")
            .register(registry);
    private final Counter retries = Counter.builder().name("k8s_collector_retries_total")
            .help("Requests to the API server or the endpoint retried.").register(registry);

    /** The registry the server exposes. */
    PrometheusRegistry registry() {
        return registry;
    }

    public void watchEvent(String resource) {
        watchEvents.labelValues(resource).inc();
    }

    /** The watch events received so far, of every type: a change counts here once its watch delivered it. */
    public double watchEventsReceived() {
        return watchEvents.collect().getDataPoints().stream().mapToDouble(point -> point.getValue()).sum();
    }

    public void watchRestart(String resource) {
        watchRestarts.labelValues(resource).inc();
    }

    public void relist(String resource) {
        relists.labelValues(resource).inc();
    }

    public void retry() {
        retries.inc();
    }

    public void pending(int changes) {
        pendingObjects.set(changes);
    }

    /** A full fetching committed at {@code at}. */
    public void fullFetching(Instant at) {
        lastCommit.set(seconds(at));
    }

    /** A delta committed at {@code at}, shipping changes seen {@code lag} before it each. */
    public void delta(Instant at, Iterable<Duration> lags) {
        deltas.inc();
        lastCommit.set(seconds(at));
        for (Duration lag : lags) {
            commitLag.observe(lag.toNanos() / 1e9);
        }
    }

    /** A heartbeat committed at {@code at}. */
    public void heartbeat(Instant at) {
        heartbeats.inc();
        lastCommit.set(seconds(at));
    }

    private static double seconds(Instant at) {
        return at.getEpochSecond() + at.getNano() / 1e9;
    }
}
