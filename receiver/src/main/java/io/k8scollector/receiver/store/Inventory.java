package io.k8scollector.receiver.store;

import static io.k8scollector.receiver.store.Statements.bind;
import static io.k8scollector.receiver.store.Statements.optionalLong;
import static io.k8scollector.receiver.store.Statements.string;

import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.RecordKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The read side: any retained snapshot of a cluster, its current one by default. Snapshot S is
 * the versions with {@code valid_from <= S < valid_to}: one index range of the versions' key
 * per query, whichever snapshot it reads. Every method is one read transaction.
 */
public final class Inventory {

    private static final String OBJECT = Versions.code(RecordKind.OBJECTS);

    private final Database db;

    public Inventory(Database db) {
        this.db = db;
    }

    /** A committed snapshot: the seq its versions are valid at, and its fetchingId. */
    public record Snapshot(long seq, String fetchingId) {}

    /** A page of record bodies and, when there is more, the snapshot and key to continue after. */
    public record Page(List<byte[]> bodies, Snapshot snapshot, String continueAfter) {}

    /**
     * A page of the records of {@code kind} matching {@code filter} in snapshot {@code at} (see
     * {@link #snapshot}), in key order after {@code after} (null: from the start). A page that
     * continues another names that page's snapshot in {@code pinned}; it is refused ({@link
     * Refused.Reason#GONE}) once that snapshot was merged away.
     */
    public Page list(String clusterId, RecordKind kind, RecordFilter filter, String at, String pinned, String after,
            int limit) {
        return db.read(c -> {
            Optional<Snapshot> snapshot = pinned != null ? Optional.of(pinnedSnapshot(c, clusterId, pinned))
                    : snapshot(c, clusterId, at);
            List<byte[]> bodies = new ArrayList<>();
            if (snapshot.isEmpty()) {
                return new Page(bodies, null, null);
            }
            long seq = snapshot.get().seq();
            StringBuilder sql = new StringBuilder("SELECT v.record_key, v.labels, b.body FROM versions v"
                    + " JOIN bodies b ON b.cluster_id = v.cluster_id AND b.hash = v.body_hash"
                    + " WHERE v.cluster_id = ? AND v.class = ? AND v.record_key > ? AND" + Versions.VISIBLE);
            List<Object> args = new ArrayList<>(List.of(clusterId, Versions.code(kind)));
            condition(sql, args, "v.api_group", filter.group());
            condition(sql, args, "v.kind", filter.kind());
            condition(sql, args, "v.namespace", filter.namespace());
            condition(sql, args, "v.name", filter.name());
            if (filter.version() != null) {
                sql.append(" AND (v.api_version = ? OR v.api_version LIKE ?)");
                args.add(filter.version());
                args.add("%/" + filter.version());
            }
            sql.append(" ORDER BY v.record_key LIMIT ?");
            String cursor = after == null ? "" : after;
            int batch = Math.max(limit, 500);
            while (true) {
                List<Object> bound = new ArrayList<>(args);
                bound.addAll(2, List.of(cursor, seq, seq));
                bound.add(batch);
                int seen = 0;
                try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                    bind(ps, bound.toArray());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            seen++;
                            cursor = rs.getString(1);
                            if (filter.labels().test(rs.getString(2))) {
                                bodies.add(rs.getBytes(3));
                                if (bodies.size() == limit) {
                                    return new Page(bodies, snapshot.get(), cursor);
                                }
                            }
                        }
                    }
                }
                if (seen < batch) {
                    return new Page(bodies, snapshot.get(), null);
                }
            }
        });
    }

    /** Appends {@code AND column = ?} with its argument, when {@code value} is not null. */
    static void condition(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    /** Snapshot {@code at}'s object counts per apiVersion and kind, by kind. */
    public List<KindCount> kinds(String clusterId, String at) {
        return db.read(c -> {
            List<KindCount> kinds = new ArrayList<>();
            Optional<Snapshot> snapshot = snapshot(c, clusterId, at);
            if (snapshot.isEmpty()) {
                return kinds;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT v.api_version, v.kind, COUNT(*) FROM versions v"
                    + " WHERE v.cluster_id = ? AND v.class = 'o' AND" + Versions.VISIBLE
                    + " GROUP BY v.api_version, v.kind ORDER BY v.kind, v.api_version")) {
                bind(ps, clusterId, snapshot.get().seq(), snapshot.get().seq());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        kinds.add(new KindCount(rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            return kinds;
        });
    }

    /** The body of snapshot {@code at}'s object with {@code uid}, if there is one. */
    public Optional<byte[]> object(String clusterId, String uid, String at) {
        // An object with a uid is keyed "u:" and its uid: the primary key finds it.
        return body(clusterId, OBJECT, "u:" + uid, at);
    }

    /** Snapshot {@code at}'s tree rooted at {@code uid}, if there is one. */
    public Optional<byte[]> tree(String clusterId, String uid, String at) {
        return body(clusterId, Versions.code(RecordKind.TREES), uid, at);
    }

    private Optional<byte[]> body(String clusterId, String cls, String key, String at) {
        return db.read(c -> {
            Optional<Snapshot> snapshot = snapshot(c, clusterId, at);
            if (snapshot.isEmpty()) {
                return Optional.empty();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT b.body FROM versions v JOIN bodies b"
                    + " ON b.cluster_id = v.cluster_id AND b.hash = v.body_hash"
                    + " WHERE v.cluster_id = ? AND v.class = ? AND v.record_key = ? AND" + Versions.VISIBLE)) {
                bind(ps, clusterId, cls, key, snapshot.get().seq(), snapshot.get().seq());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
                }
            }
        });
    }

    /** Hands every tree of snapshot {@code at} to {@code each}. */
    public void eachTree(String clusterId, String at, Consumer<byte[]> each) {
        db.read(c -> {
            Optional<Snapshot> snapshot = snapshot(c, clusterId, at);
            if (snapshot.isPresent()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT b.body FROM versions v JOIN bodies b"
                        + " ON b.cluster_id = v.cluster_id AND b.hash = v.body_hash"
                        + " WHERE v.cluster_id = ? AND v.class = 'r' AND" + Versions.VISIBLE)) {
                    bind(ps, clusterId, snapshot.get().seq(), snapshot.get().seq());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            each.accept(rs.getBytes(1));
                        }
                    }
                }
            }
            return null;
        });
    }

    /**
     * The objects added, changed (content hash) and deleted between two retained snapshots:
     * {@code to} ({@link #snapshot}: the current one by default) and {@code since}, a fetchingId
     * or an RFC 3339 time; by default the newest snapshot before the last one that changed
     * {@code to}'s content (heartbeats and other snapshots without changes are passed over). A
     * {@code since} older than every retained snapshot compares with nothing (all added).
     */
    public Changes changes(String clusterId, String since, String to) {
        return db.read(c -> {
            Optional<Snapshot> target = snapshot(c, clusterId, to);
            if (target.isEmpty()) {
                return new Changes(null, null, List.of(), List.of(), List.of());
            }
            long toSeq = target.get().seq();
            Optional<Snapshot> from = since != null ? snapshotAtOrBefore(c, clusterId, since)
                    : defaultSince(c, clusterId, toSeq);
            if (from.isPresent() && from.get().seq() > toSeq) {
                throw new Refused(Refused.Reason.BAD_REQUEST, "since (" + from.get().fetchingId()
                        + ") is a later snapshot than to (" + target.get().fetchingId() + ").");
            }
            return diff(c, clusterId, from.orElse(null), target.get());
        });
    }

    private static Optional<Snapshot> defaultSince(Connection c, String clusterId, long to) throws SQLException {
        Optional<Long> lastChange = optionalLong(c, "SELECT MAX(seq) FROM fetchings WHERE cluster_id = ?"
                + " AND committed_at IS NOT NULL AND seq <= ? AND (added + changed + deleted > 0 OR previous IS NULL)",
                clusterId, to);
        long before = lastChange.orElse(to);
        return optionalLong(c, "SELECT MAX(seq) FROM fetchings WHERE cluster_id = ? AND committed_at IS NOT NULL"
                + " AND seq < ?", clusterId, before).map(seq -> new Snapshot(seq, fetchingIdOf(c, clusterId, seq)));
    }

    private static Changes diff(Connection c, String clusterId, Snapshot from, Snapshot to) throws SQLException {
        long f = from == null ? -1 : from.seq();
        long t = to.seq();
        // Only versions that began or ended between the two snapshots can differ between them.
        Map<String, ObjectRef[]> refs = new HashMap<>();
        Map<String, byte[][]> hashes = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT v.record_key, v.uid, v.api_version, v.kind, v.namespace,"
                + " v.name, v.content_hash, v.valid_from, v.valid_to FROM versions v WHERE v.cluster_id = ?"
                + " AND v.class = 'o' AND ((v.valid_from > ? AND v.valid_from <= ?) OR (v.valid_to > ? AND v.valid_to <= ?" + Versions.CLOSED_V + "))")) {
            bind(ps, clusterId, f, t, f, t);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    ObjectRef ref = new ObjectRef(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6));
                    long validFrom = rs.getLong(8);
                    long validTo = rs.getLong(9);
                    int side = validFrom <= f && validTo > f ? 0 : validFrom <= t && validTo > t ? 1 : -1;
                    if (side >= 0) {
                        refs.computeIfAbsent(key, k -> new ObjectRef[2])[side] = ref;
                        hashes.computeIfAbsent(key, k -> new byte[2][])[side] = rs.getBytes(7);
                    }
                }
            }
        }
        List<ObjectRef> added = new ArrayList<>();
        List<ObjectRef> changed = new ArrayList<>();
        List<ObjectRef> deleted = new ArrayList<>();
        refs.forEach((key, pair) -> {
            if (pair[0] == null && pair[1] != null) {
                added.add(pair[1]);
            } else if (pair[0] != null && pair[1] == null) {
                deleted.add(pair[0]);
            } else if (pair[0] != null && !java.util.Arrays.equals(hashes.get(key)[0], hashes.get(key)[1])) {
                changed.add(pair[1]);
            }
        });
        for (List<ObjectRef> list : List.of(added, changed, deleted)) {
            list.sort(Comparator.comparing(ObjectRef::kind, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(r -> r.namespace() == null ? "" : r.namespace())
                    .thenComparing(r -> r.name() == null ? "" : r.name()));
        }
        return new Changes(from == null ? null : from.fetchingId(), to.fetchingId(), added, changed, deleted);
    }

    /**
     * The snapshot {@code at} names: null for the current one (empty when the cluster has none),
     * a fetchingId for that committed snapshot, an RFC 3339 time for the newest snapshot
     * committed at or before it. Refused ({@link Refused.Reason#NOT_FOUND}) for an unknown
     * cluster, or a snapshot never committed or merged away; {@link Refused.Reason#BAD_REQUEST}
     * for anything else.
     */
    static Optional<Snapshot> snapshot(Connection c, String clusterId, String at) throws SQLException {
        if (string(c, "SELECT id FROM clusters WHERE id = ?", clusterId).isEmpty()) {
            throw new Refused(Refused.Reason.NOT_FOUND, "Unknown cluster '" + clusterId + "'.");
        }
        if (at == null) {
            return Snapshots.current(c, clusterId).map(seq -> new Snapshot(seq, fetchingIdOf(c, clusterId, seq)));
        }
        Snapshot found = snapshotAtOrBefore(c, clusterId, at).orElseThrow(() -> new Refused(Refused.Reason.NOT_FOUND,
                "Cluster '" + clusterId + "' had no committed snapshot at " + at + " (or it was merged away)."));
        return Optional.of(found);
    }

    /** A fetchingId's committed snapshot, or the newest committed at or before an RFC 3339 time. */
    private static Optional<Snapshot> snapshotAtOrBefore(Connection c, String clusterId, String at) throws SQLException {
        if (string(c, "SELECT id FROM clusters WHERE id = ?", clusterId).isEmpty()) {
            throw new Refused(Refused.Reason.NOT_FOUND, "Unknown cluster '" + clusterId + "'.");
        }
        if (FetchingId.isValid(at)) {
            Long seq = optionalLong(c, "SELECT seq FROM fetchings WHERE cluster_id = ? AND fetching_id = ?"
                    + " AND committed_at IS NOT NULL", clusterId, at).orElseThrow(() -> new Refused(Refused.Reason.NOT_FOUND,
                            "Cluster '" + clusterId + "' has no committed snapshot " + at
                                    + " (never committed, or past the retention)."));
            return Optional.of(new Snapshot(seq, at));
        }
        Instant time;
        try {
            time = Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new Refused(Refused.Reason.BAD_REQUEST, "Invalid snapshot '" + at
                    + "': use a fetchingId (24 lowercase hex characters) or an RFC 3339 time such as 2026-11-27T14:00:00Z.");
        }
        return optionalLong(c, "SELECT MAX(seq) FROM fetchings WHERE cluster_id = ? AND committed_at IS NOT NULL"
                + " AND committed_at <= ?", clusterId, time.toEpochMilli())
                .map(seq -> new Snapshot(seq, fetchingIdOf(c, clusterId, seq)));
    }

    private static Snapshot pinnedSnapshot(Connection c, String clusterId, String fetchingId) throws SQLException {
        Optional<Long> seq = optionalLong(c, "SELECT seq FROM fetchings WHERE cluster_id = ? AND fetching_id = ?"
                + " AND committed_at IS NOT NULL", clusterId, fetchingId);
        if (seq.isEmpty()) {
            throw new Refused(Refused.Reason.GONE, "The snapshot " + fetchingId + " this continue token reads was merged"
                    + " away: list again from the start.");
        }
        return new Snapshot(seq.get(), fetchingId);
    }

    static String fetchingIdOf(Connection c, String clusterId, long seq) {
        try {
            return string(c, "SELECT fetching_id FROM fetchings WHERE cluster_id = ? AND seq = ?", clusterId, seq)
                    .orElseThrow();
        } catch (SQLException e) {
            throw new StoreException("Database error: " + e.getMessage(), e);
        }
    }
}
