package io.k8scollector.receiver.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The inventory browser's reads of a cluster's current snapshot that the plain lists of
 * {@link Snapshots} do not answer: a kind's objects in namespace and name order with a name
 * prefix, the namespaces and their object counts, and the bodies of one kind streamed with the
 * snapshot's trees. Every method is one read transaction. The browser's SQL is all here, so that
 * a change of the storage schema ports it in one place.
 */
public final class Inventory {

    private static final String LISTED = "SELECT r.record_key, r.uid, r.api_version, r.kind, r.namespace, r.name,"
            + " r.labels FROM records r WHERE r.fetching = ? AND r.class = 'o'";
    /** Rows read per statement while labels are tested in Java. */
    private static final int BATCH = 500;

    private final Database db;

    public Inventory(Database db) {
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
     * A page of the current snapshot's objects matching {@code query}, ordered by namespace,
     * name and key (byte order on both databases), after {@code after}.
     */
    public SummaryPage objects(String clusterId, ObjectQuery query, Position after, int limit) {
        return db.read(c -> {
            Long seq = current(c, clusterId);
            List<ObjectSummary> items = new ArrayList<>();
            if (seq == null) {
                return new SummaryPage(items, null);
            }
            String bytewise = db.dialect() == Dialect.POSTGRESQL ? " COLLATE \"C\"" : "";
            String namespace = "COALESCE(r.namespace, '')" + bytewise;
            String name = "COALESCE(r.name, '')" + bytewise;
            StringBuilder sql = new StringBuilder(LISTED);
            List<Object> args = new ArrayList<>(List.of(seq));
            equal(sql, args, "r.api_group", query.group());
            equal(sql, args, "r.kind", query.kind());
            equal(sql, args, "r.namespace", query.namespace());
            if (query.namePrefix() != null) {
                sql.append(" AND substr(r.name, 1, ?) = ?");
                args.add(query.namePrefix().length());
                args.add(query.namePrefix());
            }
            sql.append(" AND (").append(namespace).append(" > ? OR (").append(namespace).append(" = ? AND (")
                    .append(name).append(" > ? OR (").append(name).append(" = ? AND r.record_key > ?))))")
                    .append(" ORDER BY ").append(namespace).append(", ").append(name).append(", r.record_key LIMIT ?");
            Position cursor = after == null ? Position.START : after;
            while (true) {
                List<Object> bound = new ArrayList<>(args);
                bound.addAll(List.of(cursor.namespace(), cursor.namespace(), cursor.name(), cursor.name(), cursor.key(),
                        BATCH));
                int seen = 0;
                try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                    Snapshots.bind(ps, bound.toArray());
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

    /** The current snapshot's namespaces with their object counts (of {@code group}/{@code kind} when not null), by name. */
    public List<NamespaceCount> namespaces(String clusterId, String group, String kind) {
        return db.read(c -> {
            Long seq = current(c, clusterId);
            List<NamespaceCount> counts = new ArrayList<>();
            if (seq == null) {
                return counts;
            }
            StringBuilder sql = new StringBuilder("SELECT r.namespace, COUNT(*) FROM records r WHERE r.fetching = ?"
                    + " AND r.class = 'o'");
            List<Object> args = new ArrayList<>(List.of(seq));
            equal(sql, args, "r.api_group", group);
            equal(sql, args, "r.kind", kind);
            sql.append(" GROUP BY r.namespace");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Snapshots.bind(ps, args.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.add(new NamespaceCount(rs.getString(1), rs.getLong(2)));
                    }
                }
            }
            counts.sort(java.util.Comparator.comparing(n -> n.namespace() == null ? "" : n.namespace()));
            return counts;
        });
    }

    /**
     * Hands the current snapshot's trees to {@code trees}, then the bodies of its objects of
     * {@code group} and {@code kind} to {@code objects}, both from one read of the database; the
     * bodies are streamed, not held. Returns the fetchingId of the snapshot read, or null when the
     * cluster has none (nothing is handed over).
     */
    public String eachOfKind(String clusterId, String group, String kind, Consumer<byte[]> trees, Consumer<byte[]> objects) {
        return db.read(c -> {
            Long seq = current(c, clusterId);
            if (seq == null) {
                return null;
            }
            String bodies = "SELECT b.body FROM records r JOIN bodies b ON b.hash = r.body_hash WHERE r.fetching = ?";
            stream(c, bodies + " AND r.class = 'r'", trees, seq);
            stream(c, bodies + " AND r.class = 'o' AND r.api_group = ? AND r.kind = ?", objects, seq, group, kind);
            try (PreparedStatement ps = c.prepareStatement("SELECT fetching_id FROM fetchings WHERE seq = ?")) {
                ps.setLong(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    private static void stream(Connection c, String sql, Consumer<byte[]> each, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            // PostgreSQL then reads in batches through a cursor (the transaction is not in autocommit).
            ps.setFetchSize(BATCH);
            Snapshots.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    each.accept(rs.getBytes(1));
                }
            }
        }
    }

    /** The current snapshot's seq, null when nothing is committed; an unknown cluster is refused. */
    private static Long current(Connection c, String clusterId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT current_fetching FROM clusters WHERE id = ?")) {
            ps.setString(1, clusterId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new Refused(Refused.Reason.NOT_FOUND, "Unknown cluster '" + clusterId + "'.");
                }
                long seq = rs.getLong(1);
                return rs.wasNull() ? null : seq;
            }
        }
    }

    private static void equal(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
