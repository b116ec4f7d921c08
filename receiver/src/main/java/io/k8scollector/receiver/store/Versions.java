package io.k8scollector.receiver.store;

import io.k8scollector.protocol.RecordKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The temporal table of record versions (docs/receiver.md, "Storage layout"): each row is valid
 * from the seq of the commit that made it until the seq of the commit that replaced or deleted
 * it, {@link #OPEN} while it is current. Snapshot S holds the rows with
 * {@code valid_from <= S < valid_to}.
 */
final class Versions {

    /** The {@code valid_to} of a current version. */
    static final long OPEN = Long.MAX_VALUE;
    /** The columns a version shares with a staged record, after its key. */
    static final String COLUMNS = "uid, api_version, api_group, kind, namespace, name, labels, body_hash, content_hash";
    /**
     * The condition "closed", to AND to a condition on {@code valid_to}: the predicate of the
     * partial index {@code versions_closed} as it is written there, which a query must name for
     * either planner to take that index (PostgreSQL proves it from a literal only, SQLite matches
     * the term as written).
     */
    static final String CLOSED = " AND valid_to < " + OPEN;
    /** {@link #CLOSED} on the versions aliased {@code v}. */
    static final String CLOSED_V = " AND v.valid_to < " + OPEN;
    /** The condition "visible in snapshot ?" on the versions aliased {@code v} (two arguments: the seq twice). */
    static final String VISIBLE = " v.valid_from <= ? AND v.valid_to > ?";
    /** Keys looked up per statement: bound one by one (SQLite), or as one array (PostgreSQL). */
    private static final int CHUNK = 500;
    private static final int ARRAY_CHUNK = 5000;
    /**
     * PostgreSQL: one primary-key probe per key of the array, whatever the statistics say. With
     * an IN list the planner, when it counts few versions for the cluster (a table not analysed
     * since a bulk load, or a cluster new in a big table), reads every version of the cluster's
     * class through the key's prefix and filters them; the lateral subquery (kept apart by
     * OFFSET 0) can only be run once per key, and the primary key is then its one index that
     * takes the key ("+valid_to" keeps {@code versions_open_type} out, which would take the
     * cluster and class alone). docs/receiver.md, "Query plans of the hot queries".
     */
    private static final String ARRAY_LOOKUP = "SELECT k.key, v.valid_from, v.body_hash, v.content_hash"
            + " FROM unnest(?::text[]) AS k(key) CROSS JOIN LATERAL (SELECT valid_from, body_hash, content_hash"
            + " FROM versions WHERE cluster_id = ? AND class = ? AND record_key = k.key AND +valid_to = " + OPEN
            + " OFFSET 0) v";

    private static final Map<RecordKind, String> CLASS = Map.of(
            RecordKind.OBJECTS, "o", RecordKind.HELM_RELEASES, "h", RecordKind.TYPES, "t", RecordKind.TREES, "r");

    /** Every class, as a list of SQL literals. */
    static final String ALL_CLASSES = CLASS.values().stream().sorted().map(c -> "'" + c + "'")
            .collect(java.util.stream.Collectors.joining(", "));

    private Versions() {}

    /** The one-letter class a kind of record is stored under. */
    static String code(RecordKind kind) {
        return CLASS.get(kind);
    }

    /** The kind stored under {@code code}. */
    static RecordKind kind(String code) {
        return CLASS.entrySet().stream().filter(e -> e.getValue().equals(code)).findFirst().orElseThrow().getKey();
    }

    /** The current versions of {@code keys} (of one class), by key; absent keys have none. */
    static Map<String, Open> current(Connection c, Dialect dialect, String clusterId, String cls, Collection<String> keys)
            throws SQLException {
        Map<String, Open> found = new HashMap<>();
        List<String> all = new ArrayList<>(keys);
        int chunkSize = dialect.bindsArrays() ? ARRAY_CHUNK : CHUNK;
        for (int from = 0; from < all.size(); from += chunkSize) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + chunkSize));
            try (PreparedStatement ps = dialect.bindsArrays() ? arrayLookup(c, clusterId, cls, chunk)
                    : listLookup(c, clusterId, cls, chunk);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), new Open(rs.getLong(2), new Hashes(rs.getBytes(3), rs.getBytes(4))));
                }
            }
        }
        return found;
    }

    private static PreparedStatement arrayLookup(Connection c, String clusterId, String cls, List<String> keys)
            throws SQLException {
        PreparedStatement ps = c.prepareStatement(ARRAY_LOOKUP);
        ps.setArray(1, c.createArrayOf("text", keys.toArray()));
        ps.setString(2, clusterId);
        ps.setString(3, cls);
        return ps;
    }

    private static PreparedStatement listLookup(Connection c, String clusterId, String cls, List<String> keys)
            throws SQLException {
        String marks = "?,".repeat(keys.size());
        // "+valid_to": SQLite, without statistics, would rather read every current version of the
        // cluster through versions_open_type than look the keys up in the primary key.
        PreparedStatement ps = c.prepareStatement("SELECT record_key, valid_from, body_hash, content_hash FROM versions"
                + " WHERE cluster_id = ? AND class = ? AND +valid_to = " + OPEN + " AND record_key IN ("
                + marks.substring(0, marks.length() - 1) + ")");
        List<Object> args = new ArrayList<>(List.of(clusterId, cls));
        args.addAll(keys);
        Statements.bind(ps, args.toArray());
        return ps;
    }

    /** A current version: its {@code valid_from} (with its key, the row's primary key) and its hashes. */
    record Open(long validFrom, Hashes hashes) {

        boolean sameBody(byte[] other) {
            return hashes.sameBody(other);
        }

        boolean sameContent(byte[] other) {
            return hashes.sameContent(other);
        }
    }

    /** A version's two hashes: its body's address and its content hash. */
    record Hashes(byte[] body, byte[] content) {

        boolean sameBody(byte[] other) {
            return java.util.Arrays.equals(body, other);
        }

        boolean sameContent(byte[] other) {
            return java.util.Arrays.equals(content, other);
        }
    }
}
