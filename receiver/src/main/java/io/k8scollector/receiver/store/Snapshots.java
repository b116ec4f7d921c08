package io.k8scollector.receiver.store;

import static io.k8scollector.receiver.store.Statements.bind;
import static io.k8scollector.receiver.store.Statements.execute;
import static io.k8scollector.receiver.store.Statements.instant;
import static io.k8scollector.receiver.store.Statements.longValue;
import static io.k8scollector.receiver.store.Statements.optionalLong;
import static io.k8scollector.receiver.store.Statements.string;
import static io.k8scollector.receiver.store.Statements.update;

import io.k8scollector.protocol.Abort;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKey;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.StartAnswer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Fetchings and the snapshots they become. Every method is one transaction. A page compares
 * its records with the cluster's current versions: one that differs is staged with its body
 * (content-addressed and shared within the cluster), one that is equal is only listed. A
 * commit checks the counts and the protocol's rules, then writes versions only for what was
 * added, changed or deleted ({@link SnapshotCommit}), switches the cluster's current snapshot
 * and merges snapshots past the retention away ({@link Retention}).
 */
public final class Snapshots {

    /** PostgreSQL's SQLSTATE for a duplicate key. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** The {@code closed} mark of an aborted fetching. */
    private static final String ABORTED = Refused.Reason.FETCHING_ABORTED.name();
    /** The longest abort message stored; the protocol asks for one line. */
    private static final int ABORT_MESSAGE_CHARS = 1000;
    /** Objects a commit adds at least for it to refresh PostgreSQL's statistics ({@link Dialect#analyze()}). */
    private static final long ANALYZE_ADDED = 1000;

    private final Database db;
    private final Retention retention;
    private final Duration openIdle;
    private final int maxOpen;
    private final BodiesLookedUp lookedUp;

    /**
     * @param retention which committed snapshots each cluster keeps
     * @param openIdle how long an uncommitted fetching may go without a request before it no
     *     longer counts as open (it may still send pages and commit until the sweep discards it)
     * @param maxOpen open fetchings per cluster at most; a start past it is refused
     */
    public Snapshots(Database db, Retention retention, Duration openIdle, int maxOpen) {
        this(db, retention, openIdle, maxOpen, BodiesLookedUp.NONE);
    }

    /** As the public constructor, with {@code lookedUp} called inside every page write (see {@link BodiesLookedUp}). */
    Snapshots(Database db, Retention retention, Duration openIdle, int maxOpen, BodiesLookedUp lookedUp) {
        this.db = db;
        this.retention = retention;
        this.openIdle = openIdle;
        this.maxOpen = maxOpen;
        this.lookedUp = lookedUp;
    }

    /**
     * Opens fetching {@code start.fetchingId()} of {@code clusterId}; idempotent. A new fetching
     * is refused ({@link Refused.Reason#TOO_MANY_OPEN}) while the cluster has {@code maxOpen}
     * open: not committed, not aborted nor refused for good, and seen within {@code openIdle}.
     * The count is taken under the cluster's row lock, so concurrent starts on any replica see
     * each other. An aborted fetching is never started again. A 1.1 start with a {@code base}
     * opens a delta on it, refused with {@link Refused.Reason#BASE_MISMATCH} when the base is not
     * the cluster's current snapshot.
     *
     * @return the 1.1 answer, or null for a 1.0 start (answered 204)
     */
    public StartAnswer start(String clusterId, FetchingStart start, Instant now) {
        return db.write(c -> {
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
            String base = start.speaks11() ? start.base() : null;
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(closed, ''), base FROM fetchings"
                    + " WHERE cluster_id = ? AND fetching_id = ?")) {
                bind(ps, clusterId, start.fetchingId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        if (ABORTED.equals(rs.getString(1))) {
                            throw closed(clusterId, start.fetchingId(), ABORTED);
                        }
                        // Started before: answered as the first start was (a delta when it has a base).
                        return answer(start, rs.getObject(2) == null ? null : base);
                    }
                }
            }
            Long baseSeq = null;
            if (base != null) {
                Optional<Long> current = current(c, clusterId);
                String currentId = current.isEmpty() ? null : fetchingId(c, clusterId, current.get());
                if (!base.equals(currentId)) {
                    throw baseMismatch(clusterId, base, currentId);
                }
                baseSeq = current.get();
            }
            long open = longValue(c, "SELECT COUNT(*) FROM fetchings WHERE cluster_id = ? AND committed_at IS NULL"
                    + " AND closed IS NULL AND last_seen_at >= ?", clusterId, now.minus(openIdle).toEpochMilli());
            if (open >= maxOpen) {
                throw new Refused(Refused.Reason.TOO_MANY_OPEN, "Cluster '" + clusterId + "' has " + open
                        + " open fetchings already (at most " + maxOpen + "): commit or abort one first.");
            }
            // Kept for display only: staleness goes by seq, the order in which this server saw the starts.
            Instant started = start.startedAt() != null ? start.startedAt() : idTime(start.fetchingId());
            update(c, "INSERT INTO fetchings (cluster_id, fetching_id, unique_id, collector_version, started_at,"
                    + " last_seen_at, base) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cluster_id, fetching_id) DO NOTHING",
                    clusterId, start.fetchingId(), start.clusterUniqueId(),
                    start.collector() == null ? null : start.collector().version(),
                    started.toEpochMilli(), now.toEpochMilli(), baseSeq);
            return answer(start, base);
        });
    }

    private static StartAnswer answer(FetchingStart start, String base) {
        if (!start.speaks11()) {
            return null;
        }
        return base == null ? StartAnswer.full() : StartAnswer.delta(base);
    }

    private static Refused baseMismatch(String clusterId, String base, String current) {
        return new Refused(Refused.Reason.BASE_MISMATCH, "Fetching " + base + " is not the current snapshot of cluster '"
                + clusterId + "' (" + (current == null ? "it has none" : "that is " + current)
                + "): send a full fetching.", Map.of(), current);
    }

    private static Instant idTime(String fetchingId) {
        return Instant.ofEpochSecond(Long.parseLong(fetchingId.substring(0, 8), 16));
    }

    /**
     * Stores one page of records in an open fetching; a record sent again replaces itself. A
     * record equal to its current version (same body) costs no row: the page lists it with the
     * others alike in one {@code staged_seen} row.
     */
    public void add(String clusterId, String fetchingId, List<RecordRow> rows, Instant now) {
        if (rows.isEmpty()) {
            db.write(c -> {
                touch(c, clusterId, open(c, clusterId, fetchingId).seq(), now);
                return null;
            });
            return;
        }
        String cls = Versions.code(rows.get(0).kind());
        Map<String, RecordRow> unique = new LinkedHashMap<>();
        rows.forEach(r -> unique.put(r.key(), r));
        if (db.dialect().copies()) {
            try {
                writePage(clusterId, fetchingId, cls, unique, now, true);
                return;
            } catch (StoreException e) {
                if (!(e.getCause() instanceof SQLException cause && UNIQUE_VIOLATION.equals(cause.getSQLState()))) {
                    throw e;
                }
                // Part of the page is stored already (a page sent again, or a body another page
                // stored meanwhile): the page is written again, with upserts.
            }
        }
        writePage(clusterId, fetchingId, cls, unique, now, false);
    }

    private void writePage(String clusterId, String fetchingId, String cls, Map<String, RecordRow> unique, Instant now,
            boolean copy) {
        // A page is only seen through its fetching's commit, whose transaction waits for its WAL
        // flush, and so for that of every page committed before it: a page lost in a server crash
        // makes the commit's count check fail (409 incomplete), never a committed snapshot short
        // of a record. See docs/receiver.md.
        db.writeUnflushed(c -> {
            OpenFetching f = open(c, clusterId, fetchingId);
            long seq = f.seq();
            // A full fetching of a cluster without a snapshot has nothing to compare with: its
            // records go straight into versions. After the fetching's row lock and before the
            // bodies' lock, as the first commit takes them.
            PageTarget target = f.base() == null && DirectVersions.written(c, db.dialect(), clusterId)
                    ? PageTarget.VERSIONS : PageTarget.STAGED;
            // After the row locks, as every deleter takes its row locks before the exclusive
            // lock: the two kinds of lock are always taken in one order (no deadlock).
            if (db.dialect().bodiesShared() != null) {
                execute(c, db.dialect().bodiesShared());
            }
            // Read before the versions: the versions the page compares with are at least this new.
            long comparedAt = target.open() ? -1 : current(c, clusterId).orElse(-1L);
            // A cluster without a snapshot has no versions: its first fetching looks nothing up.
            Map<String, Versions.Open> current = comparedAt < 0 ? Map.of()
                    : Versions.current(c, db.dialect(), clusterId, cls, unique.keySet());
            Map<String, byte[]> seen = new TreeMap<>();
            List<RecordRow> changed = new ArrayList<>();
            for (RecordRow r : unique.values()) {
                Versions.Open now0 = current.get(r.key());
                if (now0 != null && now0.sameBody(r.bodyHash())) {
                    seen.put(r.key(), r.bodyHash());
                } else {
                    changed.add(r);
                }
            }
            // Sorted by hash so that concurrent pages lock shared bodies in one order (no deadlock).
            TreeMap<byte[], byte[]> bodies = new TreeMap<>(Arrays::compareUnsigned);
            changed.forEach(r -> bodies.put(r.bodyHash(), r.body()));
            if (copy) {
                copyPage(c, clusterId, seq, cls, changed, bodies, target);
            } else {
                upsertPage(c, clusterId, seq, cls, changed, bodies, target);
            }
            if (!seen.isEmpty()) {
                byte[] entries = StagedFetching.pack(seen);
                update(c, "INSERT INTO staged_seen (cluster_id, fetching, digest, class, entries, compared_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (cluster_id, fetching, digest) DO NOTHING",
                        clusterId, seq, sha256(entries), cls, entries, comparedAt);
            }
            touch(c, clusterId, seq, now);
            return null;
        });
    }

    private static void touch(Connection c, String clusterId, long seq, Instant now) throws SQLException {
        update(c, "UPDATE fetchings SET last_seen_at = ? WHERE cluster_id = ? AND seq = ?", now.toEpochMilli(), clusterId, seq);
    }

    /**
     * PostgreSQL: the bodies not stored yet and the records' rows, each with one COPY. Fails with
     * a unique violation when a row is there already.
     */
    private void copyPage(Connection c, String clusterId, long seq, String cls, Collection<RecordRow> records,
            TreeMap<byte[], byte[]> bodies, PageTarget target) throws SQLException {
        TreeMap<byte[], byte[]> missing = new TreeMap<>(bodies);
        if (!bodies.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM bodies WHERE cluster_id = ? AND hash = ANY (?)")) {
                ps.setString(1, clusterId);
                ps.setArray(2, c.createArrayOf("bytea", bodies.keySet().toArray(byte[][]::new)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        missing.remove(rs.getBytes(1));
                    }
                }
            }
        }
        lookedUp.reached();
        if (!missing.isEmpty()) {
            try (CopyRows copy = new CopyRows(c, "bodies", "cluster_id, hash, body")) {
                for (Map.Entry<byte[], byte[]> body : missing.entrySet()) {
                    copy.row().text(clusterId).bytes(body.getKey()).bytes(body.getValue());
                }
                copy.end();
            }
        }
        if (!records.isEmpty()) {
            try (CopyRows copy = new CopyRows(c, target.table(), target.columns())) {
                for (RecordRow r : records) {
                    copy.row().text(clusterId).bigint(seq).text(cls).text(r.key()).text(r.uid()).text(r.apiVersion())
                            .text(r.group()).text(r.typeKind()).text(r.namespace()).text(r.name()).text(r.labels())
                            .bytes(r.bodyHash()).bytes(r.contentHash());
                    if (target.open()) {
                        copy.bigint(Versions.OPEN);
                    }
                }
                copy.end();
            }
        }
    }

    /** The bodies not stored yet, and the records' rows, replacing those of the same keys. */
    private void upsertPage(Connection c, String clusterId, long seq, String cls, Collection<RecordRow> records,
            TreeMap<byte[], byte[]> bodies, PageTarget target) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO bodies (cluster_id, hash, body) VALUES (?, ?, ?) ON CONFLICT (cluster_id, hash) DO NOTHING")) {
            for (Map.Entry<byte[], byte[]> body : bodies.entrySet()) {
                bind(ps, clusterId, body.getKey(), body.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        lookedUp.reached();
        try (PreparedStatement ps = c.prepareStatement(target.upsert())) {
            for (RecordRow r : records) {
                bind(ps, clusterId, seq, cls, r.key(), r.uid(), r.apiVersion(), r.group(), r.typeKind(),
                        r.namespace(), r.name(), r.labels(), r.bodyHash(), r.contentHash());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Stores a page of a delta's deletions (protocol 1.1); a deletion sent again is stored once.
     * Refused ({@link Refused.Reason#BAD_REQUEST}) in a full fetching.
     */
    public void delete(String clusterId, String fetchingId, List<Deletion> deletions, Instant now) {
        Map<RecordKey, Deletion> keys = new LinkedHashMap<>();
        for (int i = 0; i < deletions.size(); i++) {
            try {
                if (deletions.get(i) == null) {
                    throw new IllegalArgumentException("not a JSON object");
                }
                keys.put(deletions.get(i).key(), deletions.get(i));
            } catch (IllegalArgumentException e) {
                throw new Refused(Refused.Reason.BAD_REQUEST, "deletions[" + i + "]: " + e.getMessage() + ".");
            }
        }
        db.write(c -> {
            OpenFetching f = open(c, clusterId, fetchingId);
            if (f.base() == null) {
                throw new Refused(Refused.Reason.BAD_REQUEST, "Fetching " + fetchingId
                        + " is a full fetching: it sends no deletions (what it does not send is deleted at its commit).");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO staged_deletions (cluster_id, fetching, class,"
                    + " record_key) VALUES (?, ?, ?, ?) ON CONFLICT (cluster_id, fetching, class, record_key) DO NOTHING")) {
                for (RecordKey key : keys.keySet()) {
                    bind(ps, clusterId, f.seq(), Versions.code(key.kind()), key.value());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            touch(c, clusterId, f.seq(), now);
            return null;
        });
    }

    /** An open fetching: its seq and its base's seq (null for a full fetching). */
    private record OpenFetching(long seq, Long base) {}

    /** The open fetching, or the protocol's refusal. */
    private OpenFetching open(Connection c, String clusterId, String fetchingId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, committed_at, closed, base FROM fetchings"
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
                long seq = rs.getLong(1);
                long base = rs.getLong(4);
                return new OpenFetching(seq, rs.wasNull() ? null : base);
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
     * counted records (and deletions), its {@code clusterUniqueId} is still the cluster's
     * binding, and, for a full fetching, it started after the current snapshot did ("after" is
     * the order in which this server saw the starts, never the collector's {@code startedAt});
     * for a delta, when its base is still current. A stale, conflicting, mismatched or malformed
     * fetching is refused for good (it no longer counts as open; later requests for it get the
     * same answer). A repeated commit of a committed fetching does nothing.
     *
     * @return what the commit was (a repeated one: {@link Committed#REPEATED})
     */
    public Committed commit(String clusterId, String fetchingId, Commit commit, Instant now) {
        Object outcome = db.write(c -> {
            long seq;
            String uniqueId;
            Long base;
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, unique_id, committed_at, closed, base FROM fetchings"
                    + " WHERE cluster_id = ? AND fetching_id = ?" + db.dialect().forUpdate())) {
                bind(ps, clusterId, fetchingId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw unknownFetching(clusterId, fetchingId);
                    }
                    if (rs.getObject(3) != null) {
                        return Committed.REPEATED;
                    }
                    if (rs.getString(4) != null) {
                        return closed(clusterId, fetchingId, rs.getString(4));
                    }
                    seq = rs.getLong(1);
                    uniqueId = rs.getString(2);
                    long b = rs.getLong(5);
                    base = rs.wasNull() ? null : b;
                }
            }
            if (base == null && commit.completeTypes() != null) {
                return refuseForGood(c, clusterId, seq, new Refused(Refused.Reason.BAD_REQUEST,
                        "completeTypes is for deltas only; fetching " + fetchingId + " is a full fetching."));
            }
            // Locks the cluster so that two commits of one cluster switch its snapshot one after the
            // other, and a first commit and the pages that write versions directly wait for each other.
            String bound = string(c, "SELECT unique_id FROM clusters WHERE id = ?" + db.dialect().forUpdate(), clusterId)
                    .orElseThrow();
            Long previous = current(c, clusterId).orElse(null);
            if (previous == null) {
                DirectVersions.stageOthers(c, clusterId, seq);
            }
            // Under the cluster's lock: a first commit of another fetching may have moved this one's direct versions.
            StagedFetching staged = StagedFetching.load(c, clusterId, seq, previous == null);
            checkCounts(staged, commit);
            if (!bound.equals(uniqueId)) {
                return refuseForGood(c, clusterId, seq, new Refused(Refused.Reason.CLUSTER_CONFLICT, "Cluster '" + clusterId
                        + "' was bound to another clusterUniqueId after fetching " + fetchingId + " started."));
            }
            SnapshotCommit apply = new SnapshotCommit(c, db.dialect(), clusterId, seq, staged, commit);
            if (base != null) {
                if (!base.equals(previous)) {
                    return refuseForGood(c, clusterId, seq, baseMismatch(clusterId,
                            fetchingId(c, clusterId, base), previous == null ? null : fetchingId(c, clusterId, previous)));
                }
                String bad = apply.deltaError(skippedOf(c, clusterId, base));
                if (bad != null) {
                    return refuseForGood(c, clusterId, seq, new Refused(Refused.Reason.BAD_REQUEST, bad));
                }
            } else if (previous != null && previous > seq) {
                return refuseForGood(c, clusterId, seq, new Refused(Refused.Reason.STALE, "Fetching " + fetchingId
                        + " started before the current snapshot of cluster '" + clusterId + "'."));
            }
            SnapshotCommit.Result result = base != null ? apply.delta() : apply.full(previous != null);
            long before = previous == null ? 0
                    : optionalLong(c, "SELECT object_count FROM fetchings WHERE cluster_id = ? AND seq = ?", clusterId, previous)
                            .orElse(0L);
            boolean heartbeat = base != null && commit.isHeartbeat() && staged.isEmpty();
            String skipped = base != null && commit.skipped() == null ? skippedOf(c, clusterId, base)
                    : Json.MAPPER.writeValueAsString(commit.skippedOrEmpty());
            update(c, "UPDATE fetchings SET committed_at = ?, previous = ?, object_count = ?, added = ?, changed = ?,"
                    + " deleted = ?, skipped = ?, heartbeat = ?, report = ? WHERE cluster_id = ? AND seq = ?",
                    now.toEpochMilli(), previous, before + result.added() - result.deleted(), result.added(),
                    result.changed(), result.deleted(), skipped, heartbeat,
                    commit.report() == null ? null : Json.MAPPER.writeValueAsString(commit.report()), clusterId, seq);
            update(c, "UPDATE clusters SET current_fetching = ? WHERE id = ?", seq, clusterId);
            if (!heartbeat) {
                merge(c, clusterId, now);
            }
            // Plans are chosen on the statistics of the last ANALYZE: ones that count a few
            // versions where there are now many make reading all of a cluster's versions by its
            // prefix look cheap. Autovacuum analyses a table that grew by a tenth, but up to a
            // minute later, or never where it is off: a commit that at least doubles the versions
            // (a first full fetching into a young table) has them analysed once it is committed.
            boolean analyze = db.dialect().analyze() != null && result.added() >= ANALYZE_ADDED
                    && result.added() >= longValue(c, db.dialect().analyzedRows());
            return new Committing(new Committed(base != null, heartbeat, staged.deletionCount()), analyze);
        });
        if (outcome instanceof Refused refusal) {
            throw refusal;
        }
        if (outcome instanceof Committing done) {
            if (done.analyze()) {
                db.refreshStatistics();
            }
            return done.committed();
        }
        return (Committed) outcome;
    }

    /** A commit's transaction's outcome: what it was, and whether it asks for the versions to be analysed. */
    private record Committing(Committed committed, boolean analyze) {}

    /**
     * What a commit was: a delta or a full fetching, a heartbeat, and how many distinct
     * deletions it carried; a repeated commit is none of these.
     */
    public record Committed(boolean delta, boolean heartbeat, long deletions) {

        public static final Committed REPEATED = new Committed(false, false, 0);
    }

    /** The {@code skipped} list stored with committed snapshot {@code seq}, as JSON. */
    private static String skippedOf(Connection c, String clusterId, long seq) throws SQLException {
        return string(c, "SELECT skipped FROM fetchings WHERE cluster_id = ? AND seq = ?", clusterId, seq).orElse("[]");
    }

    private static String fetchingId(Connection c, String clusterId, long seq) throws SQLException {
        return string(c, "SELECT fetching_id FROM fetchings WHERE cluster_id = ? AND seq = ?", clusterId, seq).orElse(null);
    }

    /**
     * Marks fetching {@code seq} refused for good and returns the refusal to answer (committed with
     * the mark); what it staged goes with the idle sweep.
     */
    private static Refused refuseForGood(Connection c, String clusterId, long seq, Refused refusal) throws SQLException {
        update(c, "UPDATE fetchings SET closed = ? WHERE cluster_id = ? AND seq = ?", refusal.reason().name(), clusterId, seq);
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
     * last abort. An open fetching is closed for good: it never becomes current, what it staged
     * goes at once, and later pages, commits and starts of it are refused ({@link
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
                update(c, "UPDATE fetchings SET closed = ? WHERE cluster_id = ? AND seq = ?", ABORTED, clusterId, seq);
                lockBodies(c);
                dropStaged(c, clusterId, seq);
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

    private static void checkCounts(StagedFetching staged, Commit commit) {
        Map<String, Long> shortfall = new LinkedHashMap<>();
        for (RecordKind kind : RecordKind.values()) {
            long missing = commit.counts().of(kind) - staged.sent(Versions.code(kind));
            if (missing > 0) {
                shortfall.put(kind.field(), missing);
            }
        }
        long deletions = commit.counts().deletions() - staged.deletionCount();
        if (deletions > 0) {
            shortfall.put("deletions", deletions);
        }
        if (!shortfall.isEmpty()) {
            throw new Refused(Refused.Reason.INCOMPLETE,
                    "The fetching holds fewer records than the commit counts; missing " + shortfall + ".", shortfall);
        }
    }

    /**
     * Merges away the snapshots of every cluster that its retention no longer keeps (the
     * periodic sweep: a cluster that only sends heartbeats merges nothing at its commits).
     *
     * @return how many snapshots were merged away
     */
    public int mergeAll(Instant now) {
        List<String> clusters = db.read(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM clusters ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
        int merged = 0;
        for (String clusterId : clusters) {
            merged += db.write(c -> {
                string(c, "SELECT id FROM clusters WHERE id = ?" + db.dialect().forUpdate(), clusterId);
                return merge(c, clusterId, now);
            });
        }
        return merged;
    }

    /**
     * Drops the committed snapshots past the retention and the versions and bodies only they
     * used; under the cluster's lock. Reads only the snapshots committed before the retention's
     * cutoff (none, most of the time) and the newest ones up to its minimum, not the history.
     */
    private int merge(Connection c, String clusterId, Instant now) throws SQLException {
        List<Retention.Snapshot> pastCutoff = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, committed_at, heartbeat FROM fetchings"
                + " WHERE cluster_id = ? AND committed_at <= ?")) {
            bind(ps, clusterId, retention.cutoff(now).toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pastCutoff.add(new Retention.Snapshot(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)),
                            rs.getBoolean(3)));
                }
            }
        }
        if (pastCutoff.isEmpty()) {
            return 0;
        }
        long newestFullKept = optionalLong(c, "SELECT seq FROM fetchings WHERE cluster_id = ? AND committed_at IS NOT NULL"
                + " AND heartbeat = ? ORDER BY seq DESC LIMIT 1 OFFSET ?", clusterId, false, retention.minimum() - 1)
                .orElse(Long.MIN_VALUE);
        List<Long> dropped = retention.dropped(pastCutoff, current(c, clusterId).orElse(-1L), newestFullKept);
        if (dropped.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM fetchings WHERE cluster_id = ? AND seq = ?")) {
            for (long seq : dropped) {
                bind(ps, clusterId, seq);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        long oldestKept = longValue(c, "SELECT MIN(seq) FROM fetchings WHERE cluster_id = ? AND committed_at IS NOT NULL",
                clusterId);
        lockBodies(c);
        // Under the lock every page committed before is seen: the versions an open fetching's
        // unchanged records were compared with stay until it commits (it may copy them then).
        long floor = Math.min(oldestKept, optionalLong(c, "SELECT MIN(compared_at) FROM staged_seen"
                + " WHERE cluster_id = ?", clusterId).orElse(Long.MAX_VALUE));
        // The bodies of versions no kept snapshot sees, unless another version or a staged record uses them.
        update(c, "DELETE FROM bodies WHERE cluster_id = ? AND hash IN (SELECT body_hash FROM versions"
                + " WHERE cluster_id = ? AND valid_to <= ?" + Versions.CLOSED + ") AND NOT EXISTS (SELECT 1 FROM versions v"
                + " WHERE v.cluster_id = bodies.cluster_id AND v.body_hash = bodies.hash AND v.valid_to > ?)"
                + " AND NOT EXISTS (SELECT 1 FROM staged s WHERE s.cluster_id = bodies.cluster_id"
                + " AND s.body_hash = bodies.hash)", clusterId, clusterId, floor, floor);
        update(c, "DELETE FROM versions WHERE cluster_id = ? AND valid_to <= ?" + Versions.CLOSED, clusterId, floor);
        return dropped.size();
    }

    /** Takes the lock that keeps page writes out while bodies are deleted (see {@link Dialect#bodiesExclusive()}). */
    private void lockBodies(Connection c) throws SQLException {
        if (db.dialect().bodiesExclusive() != null) {
            execute(c, db.dialect().bodiesExclusive());
        }
    }

    /**
     * Deletes what an uncommitted fetching staged or wrote as versions, and the bodies nothing
     * else uses; under {@link #lockBodies}.
     */
    private static void dropStaged(Connection c, String clusterId, long seq) throws SQLException {
        DirectVersions.dropWithBodies(c, clusterId, seq);
        SnapshotCommit.clearStaging(c, clusterId, seq);
    }

    /**
     * Discards uncommitted fetchings that saw no request since {@code cutoff}; returns how many.
     * Aborted ones keep their row (they hold no records) so that their fetchingId stays refused.
     */
    public int discardIdle(Instant cutoff) {
        return db.write(c -> {
            List<String[]> idle = new ArrayList<>();
            // Row locks first, then the bodies' lock, in the order page writes take them. A page
            // that was being written when the sweep began makes its fetching not idle any more.
            try (PreparedStatement ps = c.prepareStatement("SELECT cluster_id, seq FROM fetchings WHERE committed_at IS NULL"
                    + " AND last_seen_at < ? AND (closed IS NULL OR closed <> ?)" + db.dialect().forUpdate())) {
                bind(ps, cutoff.toEpochMilli(), ABORTED);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        idle.add(new String[] {rs.getString(1), Long.toString(rs.getLong(2))});
                    }
                }
            }
            if (!idle.isEmpty()) {
                lockBodies(c);
            }
            for (String[] fetching : idle) {
                long seq = Long.parseLong(fetching[1]);
                dropStaged(c, fetching[0], seq);
                update(c, "DELETE FROM fetchings WHERE cluster_id = ? AND seq = ?", fetching[0], seq);
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
                    + " c.abort_received_at FROM clusters c LEFT JOIN fetchings f ON f.cluster_id = c.id"
                    + " AND f.seq = c.current_fetching ORDER BY c.id");
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

    static Optional<Long> current(Connection c, String clusterId) throws SQLException {
        return optionalLong(c, "SELECT current_fetching FROM clusters WHERE id = ?", clusterId);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
