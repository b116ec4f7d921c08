package io.k8scollector.receiver.health;

import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Json;
import io.k8scollector.receiver.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each cluster's collector was last seen doing (table {@code cluster_health}), written as
 * its requests arrive: every request moves {@code lastSeenAt}, a start records what the collector
 * says of itself, a commit its time, report and redaction key and clears a failure, an abort
 * marks the cluster failing.
 *
 * <p>A page only moves {@code lastSeenAt}, and at most once per {@link #SEEN_WRITE_INTERVAL} per
 * cluster on this replica: the first page of each interval writes, the others skip the write, so
 * that a full fetching's hundreds of pages do not queue up on the cluster's row. The interval
 * only saves writes; the row is the truth for every replica: a write never moves {@code
 * last_seen_at} backwards, so replicas sharing one database may write in any order, and the value
 * lags the collector's last request by less than the interval on the replica that received it.
 */
public final class CollectorActivity {

    /** The shortest time between two writes of a cluster's {@code lastSeenAt} for pages (per replica). */
    public static final Duration SEEN_WRITE_INTERVAL = Duration.ofSeconds(1);

    /** Moves last_seen_at forward to its two parameters (one time, given twice). */
    private static final String SEEN = seen("last_seen_at");

    private final Database db;
    /** Per cluster, the epoch milliseconds of the last request whose time this replica wrote. */
    private final Map<String, Long> written = new ConcurrentHashMap<>();

    public CollectorActivity(Database db) {
        this.db = db;
    }

    /**
     * A start the store accepted: the collector's version, mode (null from a 1.0 collector) and,
     * for a continuous one, its heartbeat interval (60 when it names none).
     */
    public void started(String clusterId, FetchingStart start, Instant now) {
        FetchingStart.Collector collector = start.collector();
        String mode = collector == null ? null : collector.mode();
        Integer heartbeat = FetchingStart.Collector.CONTINUOUS.equals(mode) ? collector.heartbeatSecondsOrDefault() : null;
        long at = now.toEpochMilli();
        db.write(c -> update(c, "INSERT INTO cluster_health (cluster_id, last_seen_at, collector_version, mode,"
                + " heartbeat_seconds) VALUES (?, ?, ?, ?, ?) ON CONFLICT (cluster_id) DO UPDATE SET "
                + seen("cluster_health.last_seen_at") + ", collector_version = excluded.collector_version, mode = excluded.mode,"
                + " heartbeat_seconds = excluded.heartbeat_seconds",
                clusterId, at, collector == null ? null : collector.version(), mode, heartbeat, at, at));
        written.put(clusterId, at);
    }

    /**
     * Any request from the cluster's collector: moves {@code lastSeenAt} to {@code now}, unless
     * this replica wrote it less than {@link #SEEN_WRITE_INTERVAL} ago. A cluster without a row
     * (never started, or deleted) stays without one.
     */
    public void seen(String clusterId, Instant now) {
        long at = now.toEpochMilli();
        long interval = SEEN_WRITE_INTERVAL.toMillis();
        boolean[] due = {false};
        written.compute(clusterId, (id, last) -> {
            if (last != null && at - last < interval && at >= last) {
                return last;
            }
            due[0] = true;
            return at;
        });
        if (due[0]) {
            // Not worth a wait for the WAL flush: a time lost in a server crash is moved again by
            // the collector's next request, and the snapshot's own writes wait for theirs.
            db.writeUnflushed(c -> update(c, "UPDATE cluster_health SET " + SEEN + " WHERE cluster_id = ?", at, at,
                    clusterId));
        }
    }

    /**
     * A commit the store accepted: its time and report, and its redaction key when the report
     * names one (the key before it is kept, and the fetching from which the current key holds);
     * a failure is cleared. The last commit repeated (after a lost answer) changes nothing.
     */
    public void committed(String clusterId, String fetchingId, Commit commit, Instant now) {
        long at = now.toEpochMilli();
        Commit.Report report = commit.report();
        String key = report == null ? null : report.redactionKeyId();
        String json = report == null ? null : Json.MAPPER.writeValueAsString(report);
        String newCommit = " WHERE cluster_id = ? AND (last_commit_fetching_id IS NULL OR last_commit_fetching_id <> ?)";
        String commitFields = ", last_commit_at = ?, last_commit_fetching_id = ?, last_report = ?, failing = FALSE";
        db.write(c -> key == null
                ? update(c, "UPDATE cluster_health SET " + SEEN + commitFields + newCommit,
                        at, at, at, fetchingId, json, clusterId, fetchingId)
                : update(c, "UPDATE cluster_health SET " + SEEN + commitFields
                        + ", previous_redaction_key_id = redaction_key_id, redaction_key_id = ?,"
                        + " redaction_key_since = CASE WHEN redaction_key_id = ? THEN redaction_key_since ELSE ? END"
                        + newCommit, at, at, at, fetchingId, json, key, key, fetchingId, clusterId, fetchingId));
        written.put(clusterId, at);
    }

    /** An abort the store accepted: the cluster is failing until its next commit. */
    public void aborted(String clusterId, Instant now) {
        long at = now.toEpochMilli();
        db.write(c -> update(c, "UPDATE cluster_health SET " + SEEN + ", failing = TRUE WHERE cluster_id = ?",
                at, at, clusterId));
        written.put(clusterId, at);
    }

    /** The assignment that moves last_seen_at (read as {@code current}) forward, never back. */
    private static String seen(String current) {
        return "last_seen_at = CASE WHEN " + current + " IS NULL OR " + current + " < ? THEN ? ELSE " + current + " END";
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }
}
