package io.k8scollector.receiver.store;

import static io.k8scollector.receiver.store.Statements.bind;
import static io.k8scollector.receiver.store.Statements.update;

import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.CompleteType;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.core.type.TypeReference;

/**
 * One fetching's commit applied to the versions: a version is closed (its {@code valid_to} set
 * to the fetching's seq) for every record replaced or deleted, and a version opened for every
 * record added or replaced; nothing is written for what stayed the same. A delta costs work in
 * proportion to what it sent, deleted and named in {@code completeTypes}; a full fetching reads
 * the cluster's current keys once to find what it no longer holds.
 */
final class SnapshotCommit {

    /** The objects added, changed (content hash) and deleted by a commit. */
    record Result(long added, long changed, long deleted) {}

    private static final String OBJECT = Versions.code(RecordKind.OBJECTS);

    private final Connection c;
    private final Dialect dialect;
    private final String clusterId;
    private final long seq;
    private final StagedFetching staged;
    private final Commit commit;
    /** The versions to close, by class and key: their {@code valid_from} (with the key, their primary key). */
    private final Map<String, Map<String, Long>> closes = new HashMap<>();
    private final List<String[]> inserts = new ArrayList<>();
    private final List<String[]> copies = new ArrayList<>();
    private final List<byte[]> copyHashes = new ArrayList<>();
    private long stagedRows;
    private long added;
    private long changed;
    private long deleted;

    SnapshotCommit(Connection c, Dialect dialect, String clusterId, long seq, StagedFetching staged, Commit commit) {
        this.c = c;
        this.dialect = dialect;
        this.clusterId = clusterId;
        this.seq = seq;
        this.staged = staged;
        this.commit = commit;
    }

    /**
     * What makes this delta malformed, or null: a key both sent and deleted, or a type that
     * leaves the base's {@code skipped} without being named in {@code completeTypes}.
     */
    String deltaError(String baseSkipped) {
        for (Map.Entry<String, Set<String>> deletions : staged.deletions.entrySet()) {
            for (String key : deletions.getValue()) {
                if (staged.sent(deletions.getKey(), key)) {
                    return "The " + Versions.kind(deletions.getKey()).recordKind() + " " + key
                            + " is both sent and deleted in this delta.";
                }
            }
        }
        if (commit.skipped() == null) {
            return null;
        }
        for (Skipped before : Json.MAPPER.readValue(baseSkipped, new TypeReference<List<Skipped>>() {})) {
            if (!Skipped.TYPE.equals(before.subject()) || commit.skipped().stream().anyMatch(now -> sameType(before, now))) {
                continue;
            }
            boolean complete = commit.completeTypesOrEmpty().stream().anyMatch(t -> t.isObjectType()
                    && text(t.group()).equals(text(before.group())) && Objects.equals(t.resource(), before.resource()));
            if (!complete) {
                return "The type " + text(before.group()) + "/" + before.resource() + " left skipped: name it in"
                        + " completeTypes and send its objects in the same delta.";
            }
        }
        return null;
    }

    private static boolean sameType(Skipped a, Skipped b) {
        return Skipped.TYPE.equals(b.subject()) && text(a.group()).equals(text(b.group()))
                && Objects.equals(a.resource(), b.resource());
    }

    /** Applies a delta: what it sent, its deletions, and the types it sent whole. */
    Result delta() throws SQLException {
        applySent(true);
        for (Map.Entry<String, Set<String>> deletions : staged.deletions.entrySet()) {
            Versions.current(c, dialect, clusterId, deletions.getKey(), deletions.getValue())
                    .forEach((key, open) -> delete(deletions.getKey(), key, open.validFrom()));
        }
        if (!commit.completeTypesOrEmpty().isEmpty()) {
            Map<String, String> kinds = typeKinds();
            List<Skipped> skippedObjects = commit.skippedOrEmpty().stream()
                    .filter(s -> Skipped.OBJECT.equals(s.subject())).toList();
            for (CompleteType type : commit.completeTypesOrEmpty()) {
                completeType(type, kinds, skippedObjects);
            }
        }
        return write();
    }

    /** Applies a full fetching: what it sent, and the deletion of every current record it did not send nor skip. */
    Result full(boolean hasCurrent) throws SQLException {
        applySent(hasCurrent);
        // A cluster's first fetching wrote its records as versions already: each one is added.
        added += staged.direct(OBJECT);
        if (hasCurrent) {
            Map<String, String> kinds = typeKinds();
            // Every class named: SQLite, without statistics, then reads the open versions through
            // versions_open_type (cluster, class) rather than all of the cluster's versions through
            // an index on the cluster alone.
            try (PreparedStatement ps = c.prepareStatement("SELECT class, record_key, api_group, kind, namespace, name,"
                    + " valid_from FROM versions WHERE cluster_id = ? AND class IN (" + Versions.ALL_CLASSES + ")"
                    + " AND valid_to = " + Versions.OPEN)) {
                ps.setString(1, clusterId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String cls = rs.getString(1);
                        String key = rs.getString(2);
                        if (!staged.sent(cls, key) && !skipped(cls, rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), kinds)) {
                            delete(cls, key, rs.getLong(7));
                        }
                    }
                }
            }
        }
        return write();
    }

    /**
     * Decides, for every record sent, whether it opens a version (and closes the current one).
     * Without a current snapshot (a cluster's first commit) the cluster has no versions: every
     * record sent is new, and none is looked up.
     */
    private void applySent(boolean hasCurrent) throws SQLException {
        Set<String> classes = new HashSet<>(staged.staged.keySet());
        classes.addAll(staged.seen.keySet());
        for (String cls : classes) {
            Map<String, Versions.Hashes> sent = staged.staged.getOrDefault(cls, Map.of());
            Map<String, byte[]> seen = staged.seen.getOrDefault(cls, Map.of());
            Set<String> keys = new HashSet<>(sent.keySet());
            keys.addAll(seen.keySet());
            Map<String, Versions.Open> current = hasCurrent ? Versions.current(c, dialect, clusterId, cls, keys) : Map.of();
            stagedRows += sent.size();
            sent.forEach((key, hashes) -> {
                Versions.Open now = current.get(key);
                if (now != null && now.sameBody(hashes.body())) {
                    return;
                }
                replace(cls, key, now, hashes.content());
                inserts.add(new String[] {cls, key});
            });
            seen.forEach((key, bodyHash) -> {
                Versions.Open now = current.get(key);
                if (now == null || !now.sameBody(bodyHash)) {
                    // The page matched a version that another commit replaced since: that version is copied.
                    replace(cls, key, now, null);
                    copies.add(new String[] {cls, key});
                    copyHashes.add(bodyHash);
                }
            });
        }
    }

    /** Counts and closes what a new version of {@code key} replaces ({@code content} null: not known). */
    private void replace(String cls, String key, Versions.Open now, byte[] content) {
        if (now != null) {
            closes.computeIfAbsent(cls, k -> new HashMap<>()).put(key, now.validFrom());
        }
        if (OBJECT.equals(cls)) {
            if (now == null) {
                added++;
            } else if (content == null || !now.sameContent(content)) {
                changed++;
            }
        }
    }

    private void delete(String cls, String key, long validFrom) {
        if (closes.computeIfAbsent(cls, k -> new HashMap<>()).put(key, validFrom) == null && OBJECT.equals(cls)) {
            deleted++;
        }
    }

    private void completeType(CompleteType type, Map<String, String> kinds, List<Skipped> skippedObjects)
            throws SQLException {
        String cls = type.isObjectType() ? OBJECT : Versions.code(RecordKind.fromRecordKind(type.recordKind()));
        String sql = "SELECT record_key, namespace, name, valid_from FROM versions WHERE cluster_id = ? AND class = ? AND valid_to = "
                + Versions.OPEN + (type.isObjectType() ? " AND api_group = ? AND kind = ?" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (type.isObjectType()) {
                bind(ps, clusterId, cls, text(type.group()), type.kind());
            } else {
                bind(ps, clusterId, cls);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    boolean named = type.isObjectType() && skippedObjects.stream().anyMatch(s ->
                            coversObject(s, text(type.group()), type.kind(), rs, kinds));
                    if (!staged.sent(cls, key) && !named) {
                        delete(cls, key, rs.getLong(4));
                    }
                }
            }
        }
    }

    private static boolean coversObject(Skipped s, String group, String kind, ResultSet rs, Map<String, String> kinds) {
        try {
            return text(s.group()).equals(group) && Objects.equals(kindOf(kinds, s), kind)
                    && text(s.namespace()).equals(text(rs.getString(2))) && Objects.equals(s.name(), rs.getString(3));
        } catch (SQLException e) {
            throw new StoreException("Database error: " + e.getMessage(), e);
        }
    }

    /**
     * Whether a full fetching's {@code skipped} covers a current record it did not send: a
     * {@code group} entry every object of that API group, a {@code type} entry every object of
     * that group and kind (the kind of its resource from the type records), an {@code object}
     * entry the one object of that group, kind, namespace and name; unreadable Helm release
     * storage the releases of that source (and storage; releases stored without one match any).
     */
    private boolean skipped(String cls, String group, String kind, String namespace, String name,
            Map<String, String> kinds) {
        for (Skipped s : commit.skippedOrEmpty()) {
            String type = s.subject() == null ? "" : s.subject();
            boolean covers = switch (type) {
                case Skipped.GROUP -> OBJECT.equals(cls) && text(s.group()).equals(text(group));
                case Skipped.TYPE -> OBJECT.equals(cls) && text(s.group()).equals(text(group))
                        && Objects.equals(kindOf(kinds, s), kind);
                case Skipped.OBJECT -> OBJECT.equals(cls) && text(s.group()).equals(text(group))
                        && Objects.equals(kindOf(kinds, s), kind) && text(s.namespace()).equals(text(namespace))
                        && Objects.equals(s.name(), name);
                case Skipped.RECORD -> "h".equals(cls) && Skipped.HELM_RELEASE.equals(s.recordKind())
                        && s.source() != null && s.source().equals(group)
                        && (s.storage() == null || kind == null || s.storage().equals(kind));
                default -> false;
            };
            if (covers) {
                return true;
            }
        }
        return false;
    }

    private static String kindOf(Map<String, String> kinds, Skipped s) {
        return kinds.get(text(s.group()) + "/" + s.resource());
    }

    /** The kind of each type ({@code group/resource}), from the current type records and those this fetching sent. */
    private Map<String, String> typeKinds() throws SQLException {
        Map<String, String> kinds = new HashMap<>();
        for (String table : List.of("versions WHERE cluster_id = ? AND valid_to = " + Versions.OPEN,
                "staged WHERE cluster_id = ? AND fetching = " + seq)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT api_group, name, kind FROM " + table + " AND class = 't'")) {
                ps.setString(1, clusterId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        kinds.put(text(rs.getString(1)) + "/" + rs.getString(2), rs.getString(3));
                    }
                }
            }
        }
        return kinds;
    }

    /** Writes the closes and the new versions, and clears the fetching's staging. */
    private Result write() throws SQLException {
        // By the whole primary key, the one index every plan takes for it: "valid_to = 2^63-1"
        // here would let a planner short of statistics read the cluster's open versions of the
        // class through versions_open_type instead (docs/receiver.md, "Query plans of the hot queries").
        try (PreparedStatement ps = c.prepareStatement("UPDATE versions SET valid_to = ? WHERE cluster_id = ? AND class = ?"
                + " AND record_key = ? AND valid_from = ?")) {
            for (Map.Entry<String, Map<String, Long>> cls : closes.entrySet()) {
                for (Map.Entry<String, Long> key : cls.getValue().entrySet()) {
                    bind(ps, seq, clusterId, cls.getKey(), key.getKey(), key.getValue());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        String insert = "INSERT INTO versions (cluster_id, class, record_key, valid_from, valid_to, " + Versions.COLUMNS
                + ") SELECT cluster_id, class, record_key, ?, " + Versions.OPEN + ", " + Versions.COLUMNS;
        if (inserts.size() == stagedRows) {
            if (!inserts.isEmpty()) {
                update(c, insert + " FROM staged WHERE cluster_id = ? AND fetching = ?", seq, clusterId, seq);
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement(insert
                    + " FROM staged WHERE cluster_id = ? AND fetching = ? AND class = ? AND record_key = ?")) {
                for (String[] key : inserts) {
                    bind(ps, seq, clusterId, seq, key[0], key[1]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        for (int i = 0; i < copies.size(); i++) {
            String[] key = copies.get(i);
            int copied = update(c, insert + " FROM versions WHERE cluster_id = ? AND class = ? AND record_key = ?"
                    + " AND body_hash = ? AND valid_from < ? ORDER BY valid_from DESC LIMIT 1",
                    seq, clusterId, key[0], key[1], copyHashes.get(i), seq);
            if (copied == 0) {
                throw new Refused(Refused.Reason.INCOMPLETE, "The " + Versions.kind(key[0]).recordKind() + " " + key[1]
                        + " was sent equal to a version since merged away: send the fetching again.");
            }
        }
        clearStaging(c, clusterId, seq);
        return new Result(added, changed, deleted);
    }

    /** Deletes fetching {@code seq}'s staged rows, seen lists and deletions (its bodies stay). */
    static void clearStaging(Connection c, String clusterId, long seq) throws SQLException {
        for (String table : List.of("staged", "staged_seen", "staged_deletions")) {
            update(c, "DELETE FROM " + table + " WHERE cluster_id = ? AND fetching = ?", clusterId, seq);
        }
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
