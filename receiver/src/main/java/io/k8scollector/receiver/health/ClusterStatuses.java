package io.k8scollector.receiver.health;

import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Json;
import io.k8scollector.receiver.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Each cluster's current snapshot joined with its collector's activity ({@link
 * CollectorActivity}), and its health now. Every call is one statement, whatever the number of
 * clusters, and reads only the clusters it answers with: a page of the listing reads that page's
 * rows, one cluster reads its own row.
 */
public final class ClusterStatuses {

    /** The current snapshot, the last abort and the activity row of each cluster, by id; a condition follows. */
    private static final String SELECT = "SELECT c.id, c.unique_id, f.fetching_id, f.committed_at, f.object_count,"
            + " c.abort_fetching_id, c.abort_reason, c.abort_message, c.abort_received_at, c.abort_finished_at,"
            + " h.cluster_id, h.last_seen_at, h.collector_version, h.mode, h.heartbeat_seconds, h.last_report,"
            + " h.redaction_key_id, h.previous_redaction_key_id, h.redaction_key_since, h.failing"
            + " FROM clusters c LEFT JOIN fetchings f ON f.cluster_id = c.id AND f.seq = c.current_fetching"
            + " LEFT JOIN cluster_health h ON h.cluster_id = c.id WHERE ";

    private final Database db;
    private final HealthRule rule;
    private final Clock clock;

    public ClusterStatuses(Database db, HealthRule rule, Clock clock) {
        this.db = db;
        this.rule = rule;
        this.clock = clock;
    }

    /** Every cluster, by id (the /metrics gauges, {@code clusters list}). */
    public List<ClusterStatus> list() {
        return query("1 = 1 ORDER BY c.id");
    }

    /**
     * At most {@code limit} clusters after {@code after} (null: from the first), by id, of
     * {@code only} (empty: of every cluster).
     */
    public List<ClusterStatus> page(Collection<String> only, String after, int limit) {
        List<Object> args = new ArrayList<>();
        args.add(after == null ? "" : after);
        StringBuilder condition = new StringBuilder("c.id > ?");
        if (!only.isEmpty()) {
            condition.append(" AND c.id IN (").append(String.join(", ", Collections.nCopies(only.size(), "?")))
                    .append(')');
            args.addAll(only);
        }
        args.add(limit);
        return query(condition + " ORDER BY c.id LIMIT ?", args.toArray());
    }

    /** The cluster {@code id}, if there is one. */
    public Optional<ClusterStatus> of(String id) {
        return query("c.id = ?", id).stream().findFirst();
    }

    private List<ClusterStatus> query(String condition, Object... args) {
        Instant now = clock.instant();
        return db.read(c -> {
            List<ClusterStatus> statuses = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SELECT + condition)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        statuses.add(status(rs, now));
                    }
                }
            }
            return statuses;
        });
    }

    private ClusterStatus status(ResultSet rs, Instant now) throws SQLException {
        String currentFetchingId = rs.getString(3);
        Instant committedAt = instant(rs, 4);
        long count = rs.getLong(5);
        Long objectCount = rs.wasNull() ? null : count;
        ClusterStatus.LastAbort lastAbort = rs.getString(6) == null ? null
                : new ClusterStatus.LastAbort(rs.getString(6), rs.getString(7), rs.getString(8), instant(rs, 9),
                        instant(rs, 10));
        boolean committed = currentFetchingId != null;
        if (rs.getString(11) == null) {
            // A cluster the store knows but no start recorded yet (a start being written on another replica).
            return new ClusterStatus(rs.getString(1), rs.getString(2), currentFetchingId, committedAt, objectCount,
                    null, null, null, null, null, lastAbort, null, null, null,
                    rule.of(false, committed, committedAt, null, null, now));
        }
        Instant lastSeenAt = instant(rs, 12);
        String mode = rs.getString(14);
        int heartbeat = rs.getInt(15);
        Integer heartbeatSeconds = rs.wasNull() ? null : heartbeat;
        String report = rs.getString(16);
        return new ClusterStatus(rs.getString(1), rs.getString(2), currentFetchingId, committedAt, objectCount,
                mode, rs.getString(13), heartbeatSeconds, lastSeenAt,
                report == null ? null : Json.MAPPER.readValue(report, Commit.Report.class), lastAbort,
                rs.getString(17), rs.getString(18), rs.getString(19),
                rule.of(rs.getBoolean(20), committed, lastSeenAt, mode, heartbeatSeconds, now));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
