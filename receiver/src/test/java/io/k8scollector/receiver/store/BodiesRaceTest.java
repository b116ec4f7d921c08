package io.k8scollector.receiver.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.RecordKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retention and the idle sweep never delete a body that a page being written has decided to
 * reuse, on both databases. Each test holds a page write at {@link BodiesLookedUp} (it has found
 * the body stored already and will point its record at it) and, while it is held, runs the
 * deletion of that body's last other user in the same cluster (bodies are shared within a
 * cluster) on another thread; then lets the page go on.
 *
 * <p>PostgreSQL (READ COMMITTED): the deleting statement cannot see the held page's records, so
 * without the bodies' lock it deletes the body and both commit, leaving a record that points at
 * nothing; with the lock the deletion waits for the page's commit (seen as an ungranted advisory
 * lock of this schema) and then sees its record. SQLite: every write runs on the one writer
 * thread, so the deletion cannot start while the page is held there (seen as the deleter parked
 * in the writer's queue); it runs after the page's commit and sees its record. Either way the
 * test asserts that the deleter waited for the page, and that afterwards every record has its
 * body and the page's snapshot commits and reads back.
 */
class BodiesRaceTest {

    /** Upper bound of every wait; the tests take well under a second when nothing is wrong. */
    private static final long TIMEOUT_SECONDS = 20;
    private static final Duration IDLE_LIMIT = Duration.ofHours(1);
    /** Bodies are shared within a cluster: the page and the deletion race in one. */
    private static final String CLUSTER = "raced";

    private final HeldPage held = new HeldPage(TIMEOUT_SECONDS);

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void retentionWaitsForAPageThatReusesTheBodyItWouldDelete(String database, @TempDir Path dir) throws Exception {
        inDatabase(database, dir, (db, snapshots) -> {
            Instant now = Instant.now();
            RecordRow shared = configMap("shared", "v1");
            // Retain 1: committing a second snapshot without shared merges the first away, and
            // with it the version of shared and its body, while a third fetching sends shared again.
            commit(snapshots, CLUSTER, snapshot(snapshots, CLUSTER, now, shared), now);
            String second = snapshot(snapshots, CLUSTER, now, configMap("other", "v2"));
            String writing = open(snapshots, CLUSTER, now);

            race(db, () -> snapshots.add(CLUSTER, writing, List.of(shared), now),
                    () -> commit(snapshots, CLUSTER, second, now));

            assertThat(committedSnapshots(db, CLUSTER)).as("retention dropped the first snapshot").isEqualTo(1);
            assertEveryRecordHasItsBody(db, snapshots, writing, shared);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theIdleSweepWaitsForAPageThatReusesTheBodyItWouldDelete(String database, @TempDir Path dir) throws Exception {
        inDatabase(database, dir, (db, snapshots) -> {
            Instant now = Instant.now();
            Instant longAgo = now.minus(IDLE_LIMIT.multipliedBy(2));
            RecordRow shared = configMap("shared", "v1");
            // Never committed and idle since long ago: the sweep discards it and the body only it used.
            snapshot(snapshots, CLUSTER, longAgo, shared);
            String writing = open(snapshots, CLUSTER, now);

            AtomicInteger discarded = new AtomicInteger();
            race(db, () -> snapshots.add(CLUSTER, writing, List.of(shared), now),
                    () -> discarded.set(snapshots.discardIdle(now.minus(IDLE_LIMIT))));

            assertThat(discarded.get()).as("fetchings the sweep discarded").isEqualTo(1);
            assertEveryRecordHasItsBody(db, snapshots, writing, shared);
        });
    }

    /**
     * Holds {@code page} at {@link BodiesLookedUp}, runs {@code deleter} beside it until it
     * finishes or waits for the page, then lets the page go on; asserts that it waited.
     */
    private void race(Database db, Runnable page, Runnable deleter) throws Exception {
        held.arm();
        FutureTask<Void> writing = HeldPage.started("page", page);
        assertThat(held.awaitReached()).as("the page write reached its lookup").isTrue();
        FutureTask<Void> deletion = new FutureTask<>(deleter, null);
        Thread deleting = new Thread(deletion, "deleter");
        deleting.start();
        boolean waited = held.awaitWaitingOrDone(() -> waitsForThePage(db, deleting), deletion);
        held.release();
        writing.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        deletion.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(dangling(db)).as("records whose body was deleted under them").isZero();
        assertThat(waited).as("the deletion waited for the page that reuses its body").isTrue();
    }

    private static boolean waitsForThePage(Database db, Thread deleter) {
        if (db.dialect() == Dialect.SQLITE) {
            return HeldPage.queuedOnTheWriter(deleter);
        }
        return db.read(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND NOT granted AND objid = hashtext(current_schema())::oid")) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        });
    }

    private static void assertEveryRecordHasItsBody(Database db, Snapshots snapshots, String writing, RecordRow shared) {
        snapshots.commit(CLUSTER, writing, new Commit(new Counts(1, 0, 0, 0), null, null), Instant.now());
        Inventory.Page page = new Inventory(db).list(CLUSTER, RecordKind.OBJECTS, RecordFilter.ALL, null, null, null, 10);
        assertThat(page.bodies()).containsExactly(shared.body());
        assertThat(dangling(db)).as("records whose body is gone").isZero();
    }

    private static long dangling(Database db) {
        return db.read(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT (SELECT COUNT(*) FROM versions r"
                    + " WHERE NOT EXISTS (SELECT 1 FROM bodies b WHERE b.cluster_id = r.cluster_id AND b.hash = r.body_hash))"
                    + " + (SELECT COUNT(*) FROM staged r WHERE NOT EXISTS (SELECT 1 FROM bodies b"
                    + " WHERE b.cluster_id = r.cluster_id AND b.hash = r.body_hash))")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static long committedSnapshots(Database db, String clusterId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM fetchings WHERE cluster_id = ? AND committed_at IS NOT NULL")) {
                ps.setString(1, clusterId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** An open fetching of {@code clusterId} holding {@code rows}, seen at {@code now}; returns its id. */
    private static String snapshot(Snapshots snapshots, String clusterId, Instant now, RecordRow... rows) {
        String id = open(snapshots, clusterId, now);
        snapshots.add(clusterId, id, List.of(rows), now);
        return id;
    }

    private static String open(Snapshots snapshots, String clusterId, Instant now) {
        String id = FetchingId.generate(now);
        snapshots.start(clusterId, new FetchingStart(id, "uid-" + clusterId, false, null, now), now);
        return id;
    }

    private static void commit(Snapshots snapshots, String clusterId, String fetchingId, Instant now) {
        snapshots.commit(clusterId, fetchingId, new Commit(new Counts(1, 0, 0, 0), null, null), now);
    }

    /** A ConfigMap record as a page would stage it, with uid {@code uid} and one data entry. */
    static RecordRow configMap(String uid, String data) {
        byte[] body = ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"uid\":\"" + uid
                + "\",\"namespace\":\"a\",\"name\":\"" + uid + "\"},\"data\":{\"key\":\"" + data + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] hash = sha256(body);
        return new RecordRow(RecordKind.OBJECTS, "u:" + uid, uid, "v1", "", "ConfigMap", "a", uid, null, body, hash, hash);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void inDatabase(String database, Path dir, HeldPage.StoreTest test) throws Exception {
        held.inDatabase(database, dir, "", new Retention(1, Duration.ZERO), IDLE_LIMIT, test);
    }
}
