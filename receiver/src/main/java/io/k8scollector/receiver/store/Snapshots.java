package io.k8scollector.receiver.store;

import io.k8scollector.protocol.Abort;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Fetchings and the snapshots they become. Every method is one transaction. A fetching's
 * records are membership rows pointing at shared, content-addressed bodies; its commit checks
 * the counts, carries over what was skipped, records added/changed/deleted counts, switches the
 * cluster's current snapshot and drops snapshots past the retention, all at once.
 */
public final class Snapshots {

    private static final Map<RecordKind, String> CLASS = Map.of(
            RecordKind.OBJECTS, "o", RecordKind.HELM_RELEASES, "h", RecordKind.TYPES, "t", RecordKind.TREES, "r");
    /** PostgreSQL's SQLSTATE for a duplicate key. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** The {@code closed} mark of an aborted fetching. */
    private static final String ABORTED = Refused.Reason.FETCHING_ABORTED.name();
    /** The longest abort message stored; the protocol asks for one line. */
    private static final int ABORT_MESSAGE_CHARS = 1000;
    private static final String COLUMNS =
            "record_key, uid, api_version, api_group, kind, namespace, name, labels, body_hash, content_hash";

    private final Database db;
    private final int retain;
    private final Duration openIdle;
    private final int maxOpen;
    private final BodiesLookedUp lookedUp;

    /**
     * @param retain committed snapshots kept per cluster (at least 1)
     * @param openIdle how long an uncommitted fetching may go without a request before it no
     *     longer counts as open (it may still send pages and commit until the sweep discards it)
     * @param maxOpen open fetchings per cluster at most; a start past it is refused
     */
    public Snapshots(Database db, int retain, Duration openIdle, int maxOpen) {
        this(db, retain, openIdle, maxOpen, BodiesLookedUp.NONE);
    }

    /** As the public constructor, with {@code lookedUp} called inside every page write (see {@link BodiesLookedUp}). */
    Snapshots(Database db, int retain, Duration openIdle, int maxOpen, BodiesLookedUp lookedUp) {
        if (retain < 1) {
            throw new IllegalArgumentException("retain must be at least 1, not " + retain);
        }
        this.db = db;
        this.retain = retain;
        this.openIdle = openIdle;
        this.maxOpen = maxOpen;
        this.lookedUp = lookedUp;
    }

    /**
     * Opens fetching {@code start.fetchingId()} of {@code clusterId}; idempotent. A new fetching
     * is refused ({@link Refused.Reason#TOO_MANY_OPEN}) while the cluster has {@code maxOpen}
     * open: not committed, not aborted nor refused for good, and seen within {@code openIdle}.
     * The count is taken under the cluster's row lock, so concurrent starts on any replica see
     * each other. An aborted fetching is never started again.
     */
    public void start(String clusterId, FetchingStart start, Instant now) {
        db.write(c -> {
            // Insert-if-absent then lock: two first starts of a new cluster cannot both insert it.
            update(c, "INSERT INTO clusters (id, unique_id) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                    clusterId, start.clusterUniqueId());
            String bound = string(c, "SELECT unique_id FROM clusters WHERE id = ?" + db.dialect().forUpdate(), clusterId)
                    .orElseThrow();
            if (!bound.equals(start.clusterUniqueId())) {
                if (!start.overrideUniqueClusterId()) {
                    throw new Refused(Refused.Reason.CLUSTER_CONFLICT, "Cluster '" + clusterId
                            + "' is bound to another clusterUniqueId; start with overrideUniqueClusterId to move it.");
                }
                update(c, "UPDATE clusters SET unique_id = ? WHERE id = ?", start.clusterUniqueId(), clusterId);
            }
            Optional<String> known = string(c, "SELECT COALESCE(closed, '') FROM fetchings WHERE cluster_id = ?"
                    + " AND fetching_id = ?", clusterId, start.fetchingId());
            if (known.isPresent()) {
                if (ABORTED.equals(known.get())) {
                    throw closed(clusterId, start.fetchingId(), ABORTED);
                }
                return null;
            }
            long open = longValue(c, "SELECT COUNT(*) FROM fetchings WHERE cluster_id = ? AND committed_at IS NULL"
                    + " AND closed IS NULL AND last_seen_at >= ?", clusterId, now.minus(openIdle).toEpochMilli());
            if (open >= maxOpen) {
                throw new Refused(Refused.Reason.TOO_MANY_OPEN, "Cluster '" + clusterId + "' has " + open
                        + " open fetchings already (at most " + maxOpen + "): commit or abort one first.");
            }
            // Kept for display only: staleness goes by seq, the order in which this server saw the starts.
            Instant started = start.startedAt() != null ? start.startedAt() : idTime(start.fetchingId());
            update(c, "INSERT INTO fetchings (cluster_id, fetching_id, unique_id, collector_version, started_at, last_seen_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (cluster_id, fetching_id) DO NOTHING",
                    clusterId, start.fetchingId(), start.clusterUniqueId(),
                    start.collector() == null ? null : start.collector().version(),
                    started.toEpochMilli(), now.toEpochMilli());
            return null;
        });
    }

    private static Instant idTime(String fetchingId) {
        return Instant.ofEpochSecond(Long.parseLong(fetchingId.substring(0, 8), 16));
    }

    /** Stores one page of records in an open fetching; a record sent again replaces itself. */
    public void add(String clusterId, String fetchingId, List<RecordRow> rows, Instant now) {
        Map<String, RecordRow> unique = new LinkedHashMap<>();
        rows.forEach(r -> unique.put(CLASS.get(r.kind()) + r.key(), r));
        // Sorted by hash so that concurrent pages lock shared bodies in one order (no deadlock).
        TreeMap<byte[], byte[]> bodies = new TreeMap<>(Arrays::compareUnsigned);
        unique.values().forEach(r -> bodies.put(r.bodyHash(), r.body()));
        if (db.dialect().copies()) {
            try {
                writePage(clusterId, fetchingId, now, (c, seq) -> copyPage(c, seq, unique.values(), bodies));
                return;
            } catch (StoreException e) {
                if (!(e.getCause() instanceof SQLException cause && UNIQUE_VIOLATION.equals(cause.getSQLState()))) {
                    throw e;
                }
                // Part of the page is stored already (a page sent again, or a body another page
                // stored meanwhile): the page is written again, with upserts.
            }
        }
        writePage(clusterId, fetchingId, now, (c, seq) -> upsertPage(c, seq, unique.values(), bodies));
    }

    /** Writes a page's rows into fetching {@code seq}. */
    @FunctionalInterface
    private interface PageWrite {
        void write(Connection c, long seq) throws SQLException;
    }

    private void writePage(String clusterId, String fetchingId, Instant now, PageWrite rows) {
        db.write(c -> {
            if (db.dialect().unflushedCommit() != null) {
                // A page is only seen through its fetching's commit, whose transaction waits for
                // its WAL flush, and so for that of every page committed before it: a page lost
                // in a server crash makes the commit's count check fail (409 incomplete), never
                // a committed snapshot short of a record. See docs/receiver.md.
                update(c, db.dialect().unflushedCommit());
            }
            long seq = open(c, clusterId, fetchingId);
            // After the fetching's row lock, as every deleter takes its row locks before the
            // exclusive lock: the two kinds of lock are always taken in one order (no deadlock).
            if (db.dialect().bodiesShared() != null) {
                execute(c, db.dialect().bodiesShared());
            }
            rows.write(c, seq);
            update(c, "UPDATE fetchings SET last_seen_at = ? WHERE seq = ?", now.toEpochMilli(), seq);
            return null;
        });
    }

    /**
     * PostgreSQL: the bodies not stored yet and the membership rows, each with one COPY. Fails
     * with a unique violation when a row is there already.
     */
    private void copyPage(Connection c, long seq, Collection<RecordRow> records, TreeMap<byte[], byte[]> bodies)
            throws SQLException {
        TreeMap<byte[], byte[]> missing = new TreeMap<>(bodies);
        // Bodies stored before (unchanged objects, in a steady cluster most of them) are not sent again.
        try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM bodies WHERE hash = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("bytea", bodies.keySet().toArray(byte[][]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    missing.remove(rs.getBytes(1));
                }
            }
        }
        lookedUp.reached();
        if (!missing.isEmpty()) {
            try (CopyRows copy = new CopyRows(c, "bodies", "hash, body")) {
                for (Map.Entry<byte[], byte[]> body : missing.entrySet()) {
                    copy.row().bytes(body.getKey()).bytes(body.getValue());
                }
                copy.end();
            }
        }
        try (CopyRows copy = new CopyRows(c, "records", "fetching, class, " + COLUMNS + ", carried")) {
            for (RecordRow r : records) {
                copy.row().bigint(seq).text(CLASS.get(r.kind())).text(r.key()).text(r.uid()).text(r.apiVersion())
                        .text(r.group()).text(r.typeKind()).text(r.namespace()).text(r.name()).text(r.labels())
                        .bytes(r.bodyHash()).bytes(r.contentHash()).bool(false);
            }
            copy.end();
        }
    }

    /** The bodies not stored yet, and the membership rows, replacing those of the same keys. */
    private void upsertPage(Connection c, long seq, Collection<RecordRow> records, TreeMap<byte[], byte[]> bodies)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO bodies (hash, body) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING")) {
            for (Map.Entry<byte[], byte[]> body : bodies.entrySet()) {
                ps.setBytes(1, body.getKey());
                ps.setBytes(2, body.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        lookedUp.reached();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO records (fetching, class, " + COLUMNS
                + ", carried) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE)"
                + " ON CONFLICT (fetching, class, record_key) DO UPDATE SET uid = excluded.uid,"
                + " api_version = excluded.api_version, api_group = excluded.api_group, kind = excluded.kind,"
                + " namespace = excluded.namespace, name = excluded.name, labels = excluded.labels,"
                + " body_hash = excluded.body_hash, content_hash = excluded.content_hash")) {
            for (RecordRow r : records) {
                bind(ps, seq, CLASS.get(r.kind()), r.key(), r.uid(), r.apiVersion(), r.group(), r.typeKind(),
                        r.namespace(), r.name(), r.labels(), r.bodyHash(), r.contentHash());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The seq of an open fetching, or the protocol's refusal. */
    private long open(Connection c, String clusterId, String fetchingId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, committed_at, closed FROM fetchings"
                + " WHERE cluster_id = ? AND fetching_id = ?" + db.dialect().forShare())) {
            bind(ps, clusterId, fetchingId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw unknownFetching(clusterId, fetchingId);
                }
                if (rs.getObject(2) != null) {
                    throw new Refused(Refused.Reason.FETCHING_COMMITTED,
                            "Fetching " + fetchingId + " of cluster '" + clusterId + "' is already committed.");
                }
                if (rs.getString(3) != null) {
                    throw closed(clusterId, fetchingId, rs.getString(3));
                }
                return rs.getLong(1);
            }
        }
    }

    private static Refused closed(String clusterId, String fetchingId, String reason) {
        String fetching = "Fetching " + fetchingId + " of cluster '" + clusterId + "'";
        return new Refused(Refused.Reason.valueOf(reason), ABORTED.equals(reason)
                ? fetching + " was aborted by its collector: start a new fetching."
                : fetching + " was refused for good at its commit (" + reason.toLowerCase(java.util.Locale.ROOT) + ").");
    }

    private static Refused unknownFetching(String clusterId, String fetchingId) {
        return new Refused(Refused.Reason.NOT_FOUND,
                "Fetching " + fetchingId + " of cluster '" + clusterId + "' was never started (or was discarded).");
    }

    /**
     * Commits a fetching: it becomes the cluster's current snapshot when it holds at least the
     * counted records, its {@code clusterUniqueId} is still the cluster's binding, and it started
     * after the current snapshot did. "After" is the order in which this server saw the starts
     * (the fetchings' seq), never the collector's {@code startedAt}, so that a collector with a
     * wrong clock cannot lock a cluster out. A stale or conflicting fetching is refused for good
     * (it no longer counts as open; later requests for it get the same answer). A repeated
     * commit of a committed fetching does nothing.
     */
    public void commit(String clusterId, String fetchingId, Commit commit, Instant now) {
        Refused refusal = db.write(c -> {
            long seq;
            String uniqueId;
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, unique_id, committed_at, closed FROM fetchings"
                    + " WHERE cluster_id = ? AND fetching_id = ?" + db.dialect().forUpdate())) {
                bind(ps, clusterId, fetchingId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw unknownFetching(clusterId, fetchingId);
                    }
                    if (rs.getObject(3) != null) {
                        return null;
                    }
                    if (rs.getString(4) != null) {
                        return closed(clusterId, fetchingId, rs.getString(4));
                    }
                    seq = rs.getLong(1);
                    uniqueId = rs.getString(2);
                }
            }
            checkCounts(c, seq, commit);
            // Locks the cluster so that two commits of one cluster switch its snapshot one after the other.
            String bound = string(c, "SELECT unique_id FROM clusters WHERE id = ?" + db.dialect().forUpdate(), clusterId)
                    .orElseThrow();
            if (!bound.equals(uniqueId)) {
                return refuseForGood(c, seq, new Refused(Refused.Reason.CLUSTER_CONFLICT, "Cluster '" + clusterId
                        + "' was bound to another clusterUniqueId after fetching " + fetchingId + " started."));
            }
            Long previous = current(c, clusterId);
            if (previous != null && previous > seq) {
                return refuseForGood(c, seq, new Refused(Refused.Reason.STALE, "Fetching " + fetchingId
                        + " started before the current snapshot of cluster '" + clusterId + "'."));
            }
            if (previous != null) {
                for (Skipped skipped : commit.skippedOrEmpty()) {
                    carryOver(c, previous, seq, skipped);
                }
            }
            long objects = longValue(c, "SELECT COUNT(*) FROM records WHERE fetching = ? AND class = 'o'", seq);
            long base = previous == null ? -1 : previous;
            update(c, "UPDATE fetchings SET committed_at = ?, previous = ?, object_count = ?, added = ?, changed = ?,"
                    + " deleted = ?, skipped = ? WHERE seq = ?",
                    now.toEpochMilli(), previous, objects,
                    count(c, Diff.ADDED, base, seq), count(c, Diff.CHANGED, base, seq),
                    count(c, Diff.DELETED, base, seq),
                    Json.MAPPER.writeValueAsString(commit.skippedOrEmpty()), seq);
            update(c, "UPDATE clusters SET current_fetching = ? WHERE id = ?", seq, clusterId);
            retain(c, clusterId);
            return null;
        });
        if (refusal != null) {
            throw refusal;
        }
    }

    /** Marks fetching {@code seq} refused for good, and returns the refusal to answer (committed with the mark). */
    private static Refused refuseForGood(Connection c, long seq, Refused refusal) throws SQLException {
        update(c, "UPDATE fetchings SET closed = ? WHERE seq = ?", refusal.reason().name(), seq);
        return refusal;
    }

    /**
     * Marks an open fetching refused for good with {@code reason} (a commit the protocol refuses
     * for good, like a malformed one), so that it no longer counts as open; does nothing to a
     * committed, already refused or unknown fetching.
     */
    public void close(String clusterId, String fetchingId, Refused.Reason reason) {
        db.write(c -> update(c, "UPDATE fetchings SET closed = ? WHERE cluster_id = ? AND fetching_id = ?"
                + " AND committed_at IS NULL AND closed IS NULL", reason.name(), clusterId, fetchingId));
    }

    /**
     * Records that the run of fetching {@code fetchingId} failed (protocol 1.1), as the cluster's
     * last abort. An open fetching is closed for good: it never becomes current, its records go
     * at once, and later pages, commits and starts of it are refused ({@link
     * Refused.Reason#FETCHING_ABORTED}). A committed or already closed fetching (a continuous
     * collector naming the last one it committed, or an abort sent again) stays as it is.
     * Refused with {@link Refused.Reason#NOT_FOUND} for a fetching the cluster never started.
     */
    public void abort(String clusterId, String fetchingId, Abort abort, Instant now) {
        db.write(c -> {
            long seq;
            boolean open;
            // Row locks in the order a commit takes them (fetching, cluster, then the bodies' lock).
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, committed_at, closed FROM fetchings"
                    + " WHERE cluster_id = ? AND fetching_id = ?" + db.dialect().forUpdate())) {
                bind(ps, clusterId, fetchingId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw unknownFetching(clusterId, fetchingId);
                    }
                    seq = rs.getLong(1);
                    open = rs.getObject(2) == null && rs.getString(3) == null;
                }
            }
            string(c, "SELECT id FROM clusters WHERE id = ?" + db.dialect().forUpdate(), clusterId);
            if (open) {
                update(c, "UPDATE fetchings SET closed = ? WHERE seq = ?", ABORTED, seq);
                lockBodies(c);
                dropRecords(c, seq);
            }
            String message = abort.message() == null ? null
                    : abort.message().lines().findFirst().map(l -> l.length() > ABORT_MESSAGE_CHARS
                            ? l.substring(0, ABORT_MESSAGE_CHARS) : l).orElse("");
            update(c, "UPDATE clusters SET abort_fetching_id = ?, abort_reason = ?, abort_message = ?,"
                    + " abort_finished_at = ?, abort_received_at = ? WHERE id = ?", fetchingId, abort.knownReason(),
                    message, abort.finishedAt() == null ? null : abort.finishedAt().toEpochMilli(), now.toEpochMilli(),
                    clusterId);
            return null;
        });
    }

    private void checkCounts(Connection c, long seq, Commit commit) throws SQLException {
        Map<RecordKind, Long> held = new EnumMap<>(RecordKind.class);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT class, COUNT(*) FROM records WHERE fetching = ? GROUP BY class")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String cls = rs.getString(1);
                    long n = rs.getLong(2);
                    CLASS.forEach((kind, code) -> {
                        if (code.equals(cls)) {
                            held.put(kind, n);
                        }
                    });
                }
            }
        }
        Map<String, Long> shortfall = new LinkedHashMap<>();
        for (RecordKind kind : RecordKind.values()) {
            long missing = commit.counts().of(kind) - held.getOrDefault(kind, 0L);
            if (missing > 0) {
                shortfall.put(kind.field(), missing);
            }
        }
        if (!shortfall.isEmpty()) {
            throw new Refused(Refused.Reason.INCOMPLETE,
                    "The fetching holds fewer records than the commit counts; missing " + shortfall + ".", shortfall);
        }
    }

    /**
     * Copies the previous snapshot's objects that {@code skipped} covers into the new one, marked
     * carried (not refreshed). A skipped type names a resource; its kind comes from the type
     * records of either snapshot. Unreadable Helm release storage carries its releases over alike.
     */
    private void carryOver(Connection c, long previous, long seq, Skipped skipped) throws SQLException {
        if (Skipped.RECORD.equals(skipped.subject())) {
            carryOverReleases(c, previous, seq, skipped);
            return;
        }
        String group = skipped.group() == null ? "" : skipped.group();
        String where;
        List<Object> args = new ArrayList<>(List.of(seq, previous, group));
        switch (skipped.subject() == null ? "" : skipped.subject()) {
            case Skipped.GROUP -> where = "";
            case Skipped.TYPE -> {
                where = " AND kind = ?";
                args.add(kindOf(c, previous, seq, group, skipped.resource()));
            }
            case Skipped.OBJECT -> {
                where = " AND kind = ? AND COALESCE(namespace, '') = ? AND name = ?";
                args.add(kindOf(c, previous, seq, group, skipped.resource()));
                args.add(skipped.namespace() == null ? "" : skipped.namespace());
                args.add(skipped.name());
            }
            default -> {
                return;
            }
        }
        update(c, "INSERT INTO records (fetching, class, " + COLUMNS + ", carried) SELECT ?, class, " + COLUMNS
                + ", TRUE FROM records WHERE fetching = ? AND class = 'o' AND api_group = ?" + where
                + " ON CONFLICT (fetching, class, record_key) DO NOTHING", args.toArray());
    }

    /**
     * A skipped {@code helmRelease} record with a {@code source} names release storage that could
     * not be read: the previous snapshot's releases of that source (and storage, for Helm's own)
     * carry over. Releases stored before the storage was recorded (a null kind) carry over whatever
     * their storage, since they cannot be told apart. A record refused alone carries nothing.
     */
    private static void carryOverReleases(Connection c, long previous, long seq, Skipped skipped) throws SQLException {
        if (!Skipped.HELM_RELEASE.equals(skipped.recordKind()) || skipped.source() == null) {
            return;
        }
        String storage = skipped.storage() == null ? "" : " AND (kind = ? OR kind IS NULL)";
        List<Object> args = new ArrayList<>(List.of(seq, previous, skipped.source()));
        if (skipped.storage() != null) {
            args.add(skipped.storage());
        }
        update(c, "INSERT INTO records (fetching, class, " + COLUMNS + ", carried) SELECT ?, class, " + COLUMNS
                + ", TRUE FROM records WHERE fetching = ? AND class = 'h' AND api_group = ?" + storage
                + " ON CONFLICT (fetching, class, record_key) DO NOTHING", args.toArray());
    }

    private static String kindOf(Connection c, long previous, long seq, String group, String resource) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT kind FROM records WHERE fetching IN (?, ?)"
                + " AND class = 't' AND api_group = ? AND name = ? ORDER BY fetching DESC")) {
            bind(ps, seq, previous, group, resource);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void retain(Connection c, String clusterId) throws SQLException {
        List<Long> old = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM fetchings WHERE cluster_id = ?"
                + " AND committed_at IS NOT NULL ORDER BY committed_at DESC, seq DESC")) {
            ps.setString(1, clusterId);
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; rs.next(); i++) {
                    if (i >= retain) {
                        old.add(rs.getLong(1));
                    }
                }
            }
        }
        if (!old.isEmpty()) {
            lockBodies(c);
        }
        for (long seq : old) {
            drop(c, seq);
        }
    }

    /** Takes the lock that keeps page writes out while bodies are deleted (see {@link Dialect#bodiesExclusive()}). */
    private void lockBodies(Connection c) throws SQLException {
        if (db.dialect().bodiesExclusive() != null) {
            execute(c, db.dialect().bodiesExclusive());
        }
    }

    /** Deletes a fetching, its membership rows and the bodies no other fetching shares. */
    private static void drop(Connection c, long seq) throws SQLException {
        dropRecords(c, seq);
        update(c, "DELETE FROM fetchings WHERE seq = ?", seq);
    }

    /** Deletes a fetching's membership rows and the bodies no other fetching shares; under {@link #lockBodies}. */
    private static void dropRecords(Connection c, long seq) throws SQLException {
        update(c, "DELETE FROM bodies WHERE hash IN (SELECT body_hash FROM records WHERE fetching = ?)"
                + " AND NOT EXISTS (SELECT 1 FROM records r WHERE r.body_hash = bodies.hash AND r.fetching <> ?)", seq, seq);
        update(c, "DELETE FROM records WHERE fetching = ?", seq);
    }

    /**
     * Discards uncommitted fetchings that saw no request since {@code cutoff}; returns how many.
     * Aborted ones keep their row (they hold no records) so that their fetchingId stays refused.
     */
    public int discardIdle(Instant cutoff) {
        return db.write(c -> {
            List<Long> idle = new ArrayList<>();
            // Row locks first, then the bodies' lock, in the order page writes take them. A page
            // that was being written when the sweep began makes its fetching not idle any more.
            try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM fetchings WHERE committed_at IS NULL"
                    + " AND last_seen_at < ? AND (closed IS NULL OR closed <> ?)" + db.dialect().forUpdate())) {
                bind(ps, cutoff.toEpochMilli(), ABORTED);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        idle.add(rs.getLong(1));
                    }
                }
            }
            if (!idle.isEmpty()) {
                lockBodies(c);
            }
            for (long seq : idle) {
                drop(c, seq);
            }
            return idle.size();
        });
    }

    /** Every cluster with its current snapshot and its last abort, by id. */
    public List<ClusterView> clusters() {
        return db.read(c -> {
            List<ClusterView> clusters = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT c.id, c.unique_id, f.fetching_id, f.committed_at,"
                    + " f.object_count, c.abort_fetching_id, c.abort_reason, c.abort_message, c.abort_finished_at,"
                    + " c.abort_received_at FROM clusters c LEFT JOIN fetchings f ON f.seq = c.current_fetching"
                    + " ORDER BY c.id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ClusterView.LastAbort abort = rs.getString(6) == null ? null : new ClusterView.LastAbort(
                            rs.getString(6), rs.getString(7), rs.getString(8), instant(rs, 9), instant(rs, 10));
                    clusters.add(new ClusterView(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                            rs.getObject(5) == null ? null : rs.getLong(5), abort));
                }
            }
            return clusters;
        });
    }

    /** The epoch milliseconds in {@code column} as an instant, or null. */
    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    /**
     * A page of the current snapshot's records of {@code kind} matching {@code filter}, in key
     * order after {@code after} (null: from the start).
     */
    public RecordPage list(String clusterId, RecordKind kind, RecordFilter filter, String after, int limit) {
        return db.read(c -> {
            Long seq = currentOf(c, clusterId);
            List<byte[]> bodies = new ArrayList<>();
            if (seq == null) {
                return new RecordPage(bodies, null);
            }
            StringBuilder sql = new StringBuilder("SELECT r.record_key, r.labels, b.body FROM records r"
                    + " JOIN bodies b ON b.hash = r.body_hash WHERE r.fetching = ? AND r.class = ? AND r.record_key > ?");
            List<Object> args = new ArrayList<>(List.of(seq, CLASS.get(kind)));
            condition(sql, args, "r.api_group", filter.group());
            condition(sql, args, "r.kind", filter.kind());
            condition(sql, args, "r.namespace", filter.namespace());
            condition(sql, args, "r.name", filter.name());
            if (filter.version() != null) {
                sql.append(" AND (r.api_version = ? OR r.api_version LIKE ?)");
                args.add(filter.version());
                args.add("%/" + filter.version());
            }
            sql.append(" ORDER BY r.record_key LIMIT ?");
            String cursor = after == null ? "" : after;
            int batch = Math.max(limit, 500);
            while (true) {
                List<Object> bound = new ArrayList<>(args);
                bound.add(2, cursor);
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
                                    return new RecordPage(bodies, cursor);
                                }
                            }
                        }
                    }
                }
                if (seen < batch) {
                    return new RecordPage(bodies, null);
                }
            }
        });
    }

    private static void condition(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    /** The current snapshot's object counts per apiVersion and kind, by kind. */
    public List<KindCount> kinds(String clusterId) {
        return db.read(c -> {
            Long seq = currentOf(c, clusterId);
            List<KindCount> kinds = new ArrayList<>();
            if (seq == null) {
                return kinds;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT api_version, kind, COUNT(*) FROM records"
                    + " WHERE fetching = ? AND class = 'o' GROUP BY api_version, kind ORDER BY kind, api_version")) {
                ps.setLong(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        kinds.add(new KindCount(rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            return kinds;
        });
    }

    /** The body of the current snapshot's object with {@code uid}, if there is one. */
    public Optional<byte[]> object(String clusterId, String uid) {
        // An object with a uid is keyed "u:" and its uid: the primary key finds it.
        return body(clusterId, "o", "record_key", "u:" + uid);
    }

    /** The current snapshot's tree rooted at {@code uid}, if there is one. */
    public Optional<byte[]> tree(String clusterId, String uid) {
        return body(clusterId, "r", "record_key", uid);
    }

    private Optional<byte[]> body(String clusterId, String cls, String column, String value) {
        return db.read(c -> {
            Long seq = currentOf(c, clusterId);
            if (seq == null) {
                return Optional.empty();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT b.body FROM records r JOIN bodies b ON b.hash = r.body_hash"
                    + " WHERE r.fetching = ? AND r.class = ? AND r." + column + " = ?")) {
                bind(ps, seq, cls, value);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
                }
            }
        });
    }

    /** Hands every tree of the current snapshot to {@code each}. */
    public void eachTree(String clusterId, Consumer<byte[]> each) {
        db.read(c -> {
            Long seq = currentOf(c, clusterId);
            if (seq != null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT b.body FROM records r JOIN bodies b"
                        + " ON b.hash = r.body_hash WHERE r.fetching = ? AND r.class = 'r'")) {
                    ps.setLong(1, seq);
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
     * The objects added, changed and deleted between snapshot {@code since} (null: the one before
     * the current) and the current snapshot.
     */
    public Changes changes(String clusterId, String since) {
        return db.read(c -> {
            Long to = currentOf(c, clusterId);
            if (to == null) {
                return new Changes(null, null, List.of(), List.of(), List.of());
            }
            Long from;
            if (since == null) {
                long previous = longValue(c, "SELECT COALESCE(previous, -1) FROM fetchings WHERE seq = ?", to);
                from = previous < 0 || string(c, "SELECT fetching_id FROM fetchings WHERE seq = ?", previous).isEmpty()
                        ? null : previous;
            } else {
                from = optionalLong(c, "SELECT seq FROM fetchings WHERE cluster_id = ? AND fetching_id = ?"
                        + " AND committed_at IS NOT NULL", clusterId, since)
                        .orElseThrow(() -> new Refused(Refused.Reason.NOT_FOUND, "Cluster '" + clusterId
                                + "' has no committed snapshot " + since + " (never committed, or past the retention)."));
            }
            long base = from == null ? -1 : from;
            return new Changes(
                    from == null ? null : string(c, "SELECT fetching_id FROM fetchings WHERE seq = ?", from).orElseThrow(),
                    string(c, "SELECT fetching_id FROM fetchings WHERE seq = ?", to).orElseThrow(),
                    refs(c, Diff.ADDED, base, to), refs(c, Diff.CHANGED, base, to), refs(c, Diff.DELETED, base, to));
        });
    }

    /** The three comparisons of two snapshots' objects; each selects the columns of an {@link ObjectRef}. */
    private enum Diff {
        ADDED("SELECT n.uid, n.api_version, n.kind, n.namespace, n.name FROM records n WHERE n.fetching = ?"
                + " AND n.class = 'o' AND NOT EXISTS (SELECT 1 FROM records o WHERE o.fetching = ? AND o.class = 'o'"
                + " AND o.record_key = n.record_key)", true),
        DELETED(ADDED.sql, false),
        CHANGED("SELECT n.uid, n.api_version, n.kind, n.namespace, n.name FROM records n JOIN records o"
                + " ON o.fetching = ? AND o.class = 'o' AND o.record_key = n.record_key"
                + " WHERE n.fetching = ? AND n.class = 'o' AND o.content_hash <> n.content_hash", false);

        private final String sql;
        private final boolean newFirst;

        Diff(String sql, boolean newFirst) {
            this.sql = sql;
            this.newFirst = newFirst;
        }

        Object[] args(long from, long to) {
            return newFirst ? new Object[] {to, from} : new Object[] {from, to};
        }
    }

    private static long count(Connection c, Diff diff, long from, long to) throws SQLException {
        return longValue(c, "SELECT COUNT(*) FROM (" + diff.sql + ") d", diff.args(from, to));
    }

    private static List<ObjectRef> refs(Connection c, Diff diff, long from, long to) throws SQLException {
        List<ObjectRef> refs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(diff.sql)) {
            bind(ps, diff.args(from, to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    refs.add(new ObjectRef(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        refs.sort(Comparator.comparing(ObjectRef::kind, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(r -> r.namespace() == null ? "" : r.namespace())
                .thenComparing(r -> r.name() == null ? "" : r.name()));
        return refs;
    }

    private Long currentOf(Connection c, String clusterId) throws SQLException {
        if (string(c, "SELECT id FROM clusters WHERE id = ?", clusterId).isEmpty()) {
            throw new Refused(Refused.Reason.NOT_FOUND, "Unknown cluster '" + clusterId + "'.");
        }
        return current(c, clusterId);
    }

    private static Long current(Connection c, String clusterId) throws SQLException {
        return optionalLong(c, "SELECT current_fetching FROM clusters WHERE id = ? AND current_fetching IS NOT NULL",
                clusterId).orElse(null);
    }

    private static Optional<String> string(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static Optional<Long> optionalLong(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static long longValue(Connection c, String sql, Object... args) throws SQLException {
        return optionalLong(c, sql, args).orElseThrow();
    }

    /** Runs a statement whose result, if any, is of no interest (taking a lock). */
    private static void execute(Connection c, String sql) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            if (arg == null) {
                ps.setNull(i + 1, java.sql.Types.NULL);
            } else if (arg instanceof byte[] bytes) {
                ps.setBytes(i + 1, bytes);
            } else if (arg instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (arg instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (arg instanceof Boolean b) {
                ps.setBoolean(i + 1, b);
            } else {
                ps.setString(i + 1, arg.toString());
            }
        }
    }
}
