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
    /** The condition "visible in snapshot ?" on the versions aliased {@code v} (two arguments: the seq twice). */
    static final String VISIBLE = " v.valid_from <= ? AND v.valid_to > ?";
    /** Keys looked up per statement. */
    private static final int CHUNK = 500;

    private static final Map<RecordKind, String> CLASS = Map.of(
            RecordKind.OBJECTS, "o", RecordKind.HELM_RELEASES, "h", RecordKind.TYPES, "t", RecordKind.TREES, "r");

    private Versions() {}

    /** The one-letter class a kind of record is stored under. */
    static String code(RecordKind kind) {
        return CLASS.get(kind);
    }

    /** The kind stored under {@code code}. */
    static RecordKind kind(String code) {
        return CLASS.entrySet().stream().filter(e -> e.getValue().equals(code)).findFirst().orElseThrow().getKey();
    }

    /** The hashes of the current versions of {@code keys} (of one class), by key; absent keys have none. */
    static Map<String, Hashes> current(Connection c, String clusterId, String cls, Collection<String> keys)
            throws SQLException {
        Map<String, Hashes> found = new HashMap<>();
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            String marks = "?,".repeat(chunk.size());
            // "+valid_to": SQLite, without statistics, would rather read every current version of the
            // cluster through versions_to than look the keys up in the primary key.
            try (PreparedStatement ps = c.prepareStatement("SELECT record_key, body_hash, content_hash FROM versions"
                    + " WHERE cluster_id = ? AND class = ? AND +valid_to = " + OPEN + " AND record_key IN ("
                    + marks.substring(0, marks.length() - 1) + ")")) {
                List<Object> args = new ArrayList<>(List.of(clusterId, cls));
                args.addAll(chunk);
                Statements.bind(ps, args.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getString(1), new Hashes(rs.getBytes(2), rs.getBytes(3)));
                    }
                }
            }
        }
        return found;
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
