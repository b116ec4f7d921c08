package io.k8scollector.receiver.store;

import static io.k8scollector.receiver.store.Statements.bind;
import static io.k8scollector.receiver.store.Statements.optionalLong;

import io.k8scollector.receiver.store.Inventory.Snapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The inventory browser's reads that the plain lists of {@link Inventory} do not answer: a
 * kind's objects in namespace and name order with a name prefix, the namespaces and their object
 * counts, the bodies of one kind streamed with the snapshot's trees, and an object's history.
 * Snapshot {@code at} is named as {@link Inventory} names it (null: the current one, whose
 * versions are the open ones). Every method is one read transaction, and every statement reads
 * one cluster's rows.
 */
public final class InventoryViews {

    private static final String LISTED = "SELECT v.record_key, v.uid, v.api_version, v.kind, v.namespace, v.name,"
            + " v.labels FROM versions v WHERE v.cluster_id = ? AND v.class = 'o'";
    private static final String BODIES = "SELECT b.body FROM versions v JOIN bodies b ON b.cluster_id = v.cluster_id"
            + " AND b.hash = v.body_hash WHERE v.cluster_id = ? AND v.valid_to = " + Versions.OPEN;
    /** Rows read per statement while labels are tested in Java. */
    private static final int BATCH = 500;

    private final Database db;

    public InventoryViews(Database db) {
        this.db = db;
    }

    /**
     * Which objects {@link #objects} returns; null fields match everything.
     *
     * @param group the API group ({@code ""}: the core group)
     * @param namePrefix the start of the name, compared exactly (case matters)
     * @param labels tests the labels JSON of an object (null when it has none)
     */
    public record ObjectQuery(String group, String kind, String namespace, String namePrefix, Predicate<String> labels) {}

    /**
     * An object as a list shows it.
     *
     * @param labels its labels as a JSON object, or null
     */
    public record ObjectSummary(String uid, String apiVersion, String kind, String namespace, String name, String labels) {}

    /** A page of summaries and the position to continue after (null: the last page). */
    public record SummaryPage(List<ObjectSummary> items, Position continueAfter) {}

    /** A place in the order of {@link #objects}: namespace ({@code ""} for cluster-scoped objects), name, key. */
    public record Position(String namespace, String name, String key) {
        public static final Position START = new Position("", "", "");
    }

    /** How many objects a namespace holds ({@code namespace} null: cluster-scoped objects). */
    public record NamespaceCount(String namespace, long count) {}

    /**
     * A snapshot in which an object changed.
     *
     * @param change {@code added}, {@code changed} (its content hash), {@code deleted}, or
     *     {@code oldest}: as the oldest retained snapshot holds it (see {@link #history})
     * @param fetchingId the snapshot; null only for a snapshot between retained ones that was
     *     merged away ({@code committedAt} is then null too)
     */
    public record HistoryEntry(String fetchingId, Instant committedAt, String change) {}

    /** An object's body in snapshot {@code fetchingId}, null when the snapshot did not hold it. */
    public record BodyAt(String fetchingId, byte[] body) {}

    /**
     * A page of snapshot {@code at}'s objects matching {@code query}, ordered by namespace, name
     * and key (byte order on both databases), after {@code after}.
     */
    public SummaryPage objects(String clusterId, ObjectQuery query, String at, Position after, int limit) {
        return db.read(c -> {
            List<ObjectSummary> items = new ArrayList<>();
            Optional<Snapshot> snapshot = Inventory.snapshot(c, clusterId, at);
            if (snapshot.isEmpty()) {
                return new SummaryPage(items, null);
            }
            String bytewise = db.dialect() == Dialect.POSTGRESQL ? " COLLATE \"C\"" : "";
            String namespace = "COALESCE(v.namespace, '')" + bytewise;
            String name = "COALESCE(v.name, '')" + bytewise;
            StringBuilder sql = new StringBuilder(LISTED);
            List<Object> args = new ArrayList<>(List.of(clusterId));
            visible(sql, args, at, snapshot.get());
            Inventory.condition(sql, args, "v.api_group", query.group());
            Inventory.condition(sql, args, "v.kind", query.kind());
            Inventory.condition(sql, args, "v.namespace", query.namespace());
            if (query.namePrefix() != null) {
                sql.append(" AND substr(v.name, 1, ?) = ?");
                args.add(query.namePrefix().length());
                args.add(query.namePrefix());
            }
            sql.append(" AND (").append(namespace).append(" > ? OR (").append(namespace).append(" = ? AND (")
                    .append(name).append(" > ? OR (").append(name).append(" = ? AND v.record_key > ?))))")
                    .append(" ORDER BY ").append(namespace).append(", ").append(name).append(", v.record_key LIMIT ?");
            Position cursor = after == null ? Position.START : after;
            while (true) {
                List<Object> bound = new ArrayList<>(args);
                bound.addAll(List.of(cursor.namespace(), cursor.namespace(), cursor.name(), cursor.name(), cursor.key(),
                        BATCH));
                int seen = 0;
                try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                    bind(ps, bound.toArray());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            seen++;
                            cursor = new Position(nullToEmpty(rs.getString(5)), nullToEmpty(rs.getString(6)), rs.getString(1));
                            if (query.labels().test(rs.getString(7))) {
                                items.add(new ObjectSummary(rs.getString(2), rs.getString(3), rs.getString(4),
                                        rs.getString(5), rs.getString(6), rs.getString(7)));
                                if (items.size() == limit) {
                                    return new SummaryPage(items, cursor);
                                }
                            }
                        }
                    }
                }
                if (seen < BATCH) {
                    return new SummaryPage(items, null);
                }
            }
        });
    }

    /** Snapshot {@code at}'s namespaces with their object counts (of {@code group}/{@code kind} when not null), by name. */
    public List<NamespaceCount> namespaces(String clusterId, String group, String kind, String at) {
        return db.read(c -> {
            List<NamespaceCount> counts = new ArrayList<>();
            Optional<Snapshot> snapshot = Inventory.snapshot(c, clusterId, at);
            if (snapshot.isEmpty()) {
                return counts;
            }
            StringBuilder sql = new StringBuilder("SELECT v.namespace, COUNT(*) FROM versions v WHERE v.cluster_id = ?"
                    + " AND v.class = 'o'");
            List<Object> args = new ArrayList<>(List.of(clusterId));
            visible(sql, args, at, snapshot.get());
            Inventory.condition(sql, args, "v.api_group", group);
            Inventory.condition(sql, args, "v.kind", kind);
            sql.append(" GROUP BY v.namespace");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                bind(ps, args.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.add(new NamespaceCount(rs.getString(1), rs.getLong(2)));
                    }
                }
            }
            counts.sort(Comparator.comparing(n -> n.namespace() == null ? "" : n.namespace()));
            return counts;
        });
    }

    /**
     * Hands the current snapshot's trees to {@code trees}, then the bodies of its objects of
     * {@code group} and {@code kind} to {@code objects}, both from one read of the database; the
     * bodies are streamed, not held. Returns the {@link #contentSeq} of what was read, or -1 when
     * the cluster has no snapshot (nothing is handed over).
     */
    public long eachOfKind(String clusterId, String group, String kind, Consumer<byte[]> trees, Consumer<byte[]> objects) {
        return db.read(c -> {
            if (Inventory.snapshot(c, clusterId, null).isEmpty()) {
                return -1L;
            }
            stream(c, BODIES + " AND v.class = 'r'", trees, clusterId);
            stream(c, BODIES + " AND v.class = 'o' AND v.api_group = ? AND v.kind = ?", objects, clusterId, group, kind);
            return contentSeq(c, clusterId);
        });
    }

    /**
     * The seq of the last commit that stored or closed a version of the cluster: it changes when
     * and only when the current snapshot's bodies do (a heartbeat or a delta that sent nothing
     * new leaves it), so that what is derived from the bodies can be kept under it. -1 when the
     * cluster holds no version.
     */
    public long contentSeq(String clusterId) {
        return db.read(c -> contentSeq(c, clusterId));
    }

    /**
     * Whether the current objects of {@code group}/{@code kind} and the trees are, as far as
     * {@code same} can tell, what they were at content seq {@code since} (a {@link #contentSeq}
     * read before): no tree was stored or closed since, and for every object of that kind with a
     * version stored or closed since, {@code same} says yes to its body then and its body now
     * (null then: added; null now: deleted). Returns the content seq now when so; empty when not,
     * at the first object {@code same} says no to, or when {@code since} is older than the oldest
     * snapshot kept (what changed since may have been merged away). Reads the versions stored or
     * closed since {@code since} and the bodies of that kind's, not the cluster's.
     */
    public OptionalLong unchangedSince(String clusterId, String group, String kind, long since,
            BiPredicate<byte[], byte[]> same) {
        return db.read(c -> {
            long oldest = optionalLong(c, "SELECT MIN(seq) FROM fetchings WHERE cluster_id = ? AND committed_at IS NOT NULL",
                    clusterId).orElse(Long.MAX_VALUE);
            if (since < oldest || treeChangedSince(c, clusterId, since)) {
                return OptionalLong.empty();
            }
            String ofKind = " cluster_id = ? AND class = 'o' AND api_group = ? AND kind = ?";
            try (PreparedStatement ps = c.prepareStatement("SELECT v.record_key, v.valid_from, b.body FROM versions v"
                    + " JOIN bodies b ON b.cluster_id = v.cluster_id AND b.hash = v.body_hash"
                    + " WHERE v.cluster_id = ? AND v.class = 'o' AND v.api_group = ? AND v.kind = ?"
                    + " AND (v.valid_to = " + Versions.OPEN + " OR" + Versions.VISIBLE + ")"
                    + " AND v.record_key IN (SELECT record_key FROM versions WHERE" + ofKind + " AND valid_from > ?"
                    + " UNION SELECT record_key FROM versions WHERE" + ofKind + " AND valid_to > ?" + Versions.CLOSED
                    + ") ORDER BY v.record_key, v.valid_from")) {
                ps.setFetchSize(BATCH);
                bind(ps, clusterId, group, kind, since, since, clusterId, group, kind, since, clusterId, group, kind, since);
                try (ResultSet rs = ps.executeQuery()) {
                    String key = null;
                    byte[] then = null;
                    byte[] now = null;
                    while (rs.next()) {
                        if (!rs.getString(1).equals(key)) {
                            if (key != null && !same.test(then, now)) {
                                return OptionalLong.empty();
                            }
                            key = rs.getString(1);
                            then = null;
                            now = null;
                        }
                        // A key listed here has no version both visible then and open now: one of each at most.
                        if (rs.getLong(2) <= since) {
                            then = rs.getBytes(3);
                        } else {
                            now = rs.getBytes(3);
                        }
                    }
                    if (key != null && !same.test(then, now)) {
                        return OptionalLong.empty();
                    }
                }
            }
            return OptionalLong.of(contentSeq(c, clusterId));
        });
    }

    /** Whether a tree version was stored or closed after content seq {@code since}. */
    private static boolean treeChangedSince(Connection c, String clusterId, long since) throws SQLException {
        return optionalLong(c, "SELECT 1 FROM versions WHERE cluster_id = ? AND class = 'r' AND valid_from > ? LIMIT 1",
                clusterId, since).isPresent()
                || optionalLong(c, "SELECT 1 FROM versions WHERE cluster_id = ? AND class = 'r' AND valid_to > ?"
                        + Versions.CLOSED + " LIMIT 1", clusterId, since).isPresent();
    }

    private static long contentSeq(Connection c, String clusterId) throws SQLException {
        // Two ends of two indexes: versions_from and versions_closed.
        long stored = optionalLong(c, "SELECT MAX(valid_from) FROM versions WHERE cluster_id = ?", clusterId).orElse(-1L);
        long closed = optionalLong(c, "SELECT MAX(valid_to) FROM versions WHERE cluster_id = ?" + Versions.CLOSED, clusterId)
                .orElse(-1L);
        return Math.max(stored, closed);
    }

    /**
     * The retained snapshots in which the object with {@code uid} changed, oldest first: where a
     * version of it begins (added, or changed when its content hash differs from the version
     * before; a new body with the same content, such as a status update, is not listed) and
     * where its last version ends (deleted). A version that began in or before the oldest
     * snapshot retained is listed at that snapshot as {@code oldest} (what came before was
     * merged away), unless that snapshot is the cluster's first ever ({@code added}). Empty when
     * no retained snapshot holds it; an unknown cluster is refused.
     */
    public List<HistoryEntry> history(String clusterId, String uid) {
        return db.read(c -> {
            Inventory.snapshot(c, clusterId, null);
            List<HistoryEntry> entries = new ArrayList<>();
            HistoryEntry oldest = oldest(c, clusterId);
            if (oldest == null) {
                return entries;
            }
            long oldestSeq = optionalLong(c, "SELECT seq FROM fetchings WHERE cluster_id = ? AND fetching_id = ?",
                    clusterId, oldest.fetchingId()).orElseThrow();
            // Keyed "u:" and its uid: one range of the primary key.
            try (PreparedStatement ps = c.prepareStatement("SELECT v.valid_from, v.valid_to, v.content_hash,"
                    + " f.fetching_id, f.committed_at, t.fetching_id, t.committed_at FROM versions v"
                    + " LEFT JOIN fetchings f ON f.cluster_id = v.cluster_id AND f.seq = v.valid_from"
                    + " LEFT JOIN fetchings t ON t.cluster_id = v.cluster_id AND t.seq = v.valid_to"
                    + " WHERE v.cluster_id = ? AND v.class = 'o' AND v.record_key = ? ORDER BY v.valid_from")) {
                bind(ps, clusterId, "u:" + uid);
                try (ResultSet rs = ps.executeQuery()) {
                    long openUntil = Long.MIN_VALUE;
                    byte[] content = null;
                    HistoryEntry end = null;
                    while (rs.next()) {
                        long from = rs.getLong(1);
                        long to = rs.getLong(2);
                        byte[] hash = rs.getBytes(3);
                        boolean continues = from == openUntil;
                        if (!continues && end != null) {
                            entries.add(end);
                        }
                        if (to <= oldestSeq) {
                            // Kept only for a fetching still open that compared its pages with it: no retained snapshot holds it.
                            end = null;
                        } else if (from <= oldestSeq) {
                            entries.add(oldest);
                        } else if (!continues || !Arrays.equals(hash, content)) {
                            entries.add(new HistoryEntry(rs.getString(4), Statements.instant(rs, 5),
                                    continues ? "changed" : "added"));
                        }
                        openUntil = to;
                        content = hash;
                        end = to == Versions.OPEN || to <= oldestSeq ? null
                                : new HistoryEntry(rs.getString(6), Statements.instant(rs, 7), "deleted");
                    }
                    if (end != null) {
                        entries.add(end);
                    }
                }
            }
            return entries;
        });
    }

    /** The oldest retained snapshot as a history lists an object it holds from the start; null when there is none. */
    private static HistoryEntry oldest(Connection c, String clusterId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT fetching_id, committed_at, previous FROM fetchings"
                + " WHERE cluster_id = ? AND committed_at IS NOT NULL ORDER BY seq LIMIT 1")) {
            bind(ps, clusterId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String fetchingId = rs.getString(1);
                Instant committedAt = Statements.instant(rs, 2);
                rs.getLong(3);
                return new HistoryEntry(fetchingId, committedAt, rs.wasNull() ? "added" : "oldest");
            }
        }
    }

    /** The body of the object with {@code uid} in snapshot {@code at} (null: the current one), with that snapshot. */
    public Optional<BodyAt> object(String clusterId, String uid, String at) {
        return db.read(c -> {
            Optional<Snapshot> snapshot = Inventory.snapshot(c, clusterId, at);
            if (snapshot.isEmpty()) {
                return Optional.empty();
            }
            long seq = snapshot.get().seq();
            try (PreparedStatement ps = c.prepareStatement("SELECT b.body FROM versions v JOIN bodies b"
                    + " ON b.cluster_id = v.cluster_id AND b.hash = v.body_hash"
                    + " WHERE v.cluster_id = ? AND v.class = 'o' AND v.record_key = ? AND" + Versions.VISIBLE)) {
                bind(ps, clusterId, "u:" + uid, seq, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    return Optional.of(new BodyAt(snapshot.get().fetchingId(), rs.next() ? rs.getBytes(1) : null));
                }
            }
        });
    }

    /** The current snapshot's versions are the open ones (an index of their own); another's, those valid at its seq. */
    private static void visible(StringBuilder sql, List<Object> args, String at, Snapshot snapshot) {
        if (at == null) {
            sql.append(" AND v.valid_to = ").append(Versions.OPEN);
        } else {
            sql.append(" AND").append(Versions.VISIBLE);
            args.add(snapshot.seq());
            args.add(snapshot.seq());
        }
    }

    private static void stream(Connection c, String sql, Consumer<byte[]> each, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            // PostgreSQL then reads in batches through a cursor (the transaction is not in autocommit).
            ps.setFetchSize(BATCH);
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    each.accept(rs.getBytes(1));
                }
            }
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
