package io.k8scollector.receiver.store;

import static io.k8scollector.receiver.store.BodiesRaceTest.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k8scollector.protocol.Abort;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.RecordKind;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A cluster's first full fetching writes its records straight into versions ({@link
 * DirectVersions}), on both databases: nothing shows before its commit, the commit counts them
 * and writes nothing more, an abort or the idle sweep takes them with the bodies only they used,
 * and the cluster's first commit moves another fetching's to staging, so that a cluster with a
 * snapshot holds none, also when a page writing them and that commit run at once.
 */
class FirstFetchingTest {

    private static final long TIMEOUT_SECONDS = 20;
    private static final Duration IDLE_LIMIT = Duration.ofHours(1);
    private static final String CLUSTER = "first";

    private final HeldPage held = new HeldPage(TIMEOUT_SECONDS);

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void itsPagesWriteVersionsThatOnlyItsCommitShows(String database, @TempDir Path dir) throws Exception {
        inDatabase(database, dir, (db, snapshots) -> {
            Instant now = Instant.now();
            String f = open(snapshots, now);
            snapshots.add(CLUSTER, f, List.of(configMap("a", "1"), configMap("b", "1")), now);
            // Sent again with another body: the last copy wins (on PostgreSQL the page's COPY fails and it is upserted).
            snapshots.add(CLUSTER, f, List.of(configMap("b", "2"), configMap("c", "1")), now);

            assertThat(rows(db, "versions")).as("versions written by the pages").isEqualTo(3);
            assertThat(rows(db, "staged")).as("staged rows").isZero();
            assertThat(bodies(db)).as("before the commit").isEmpty();
            assertThatThrownBy(() -> commit(snapshots, f, 4)).isInstanceOfSatisfying(Refused.class,
                    r -> assertThat(r.shortfall()).containsEntry("objects", 1L));

            commit(snapshots, f, 3);
            assertThat(bodies(db)).containsExactly(configMap("a", "1").body(), configMap("b", "2").body(),
                    configMap("c", "1").body());
            assertThat(rows(db, "versions")).as("versions after the commit").isEqualTo(3);
            assertThat(objectCount(db)).isEqualTo(3);

            String second = open(snapshots, now);
            snapshots.add(CLUSTER, second, List.of(configMap("a", "1"), configMap("c", "2")), now);
            assertThat(rows(db, "staged")).as("a later fetching stages what changed").isEqualTo(1);
            commit(snapshots, second, 2);
            assertThat(bodies(db)).containsExactly(configMap("a", "1").body(), configMap("c", "2").body());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anAbortTakesItsVersionsAndTheBodiesOnlyTheyUsed(String database, @TempDir Path dir) throws Exception {
        inDatabase(database, dir, (db, snapshots) -> {
            Instant now = Instant.now();
            String aborted = open(snapshots, now);
            snapshots.add(CLUSTER, aborted, List.of(configMap("a", "1"), configMap("b", "1")), now);
            String kept = open(snapshots, now);
            snapshots.add(CLUSTER, kept, List.of(configMap("b", "1")), now);

            snapshots.abort(CLUSTER, aborted, new Abort(Abort.FAILED, "listing failed", now), now);
            assertThat(rows(db, "versions")).as("versions left: the other fetching's").isEqualTo(1);
            assertThat(rows(db, "bodies")).as("bodies left: the one the other fetching uses").isEqualTo(1);

            commit(snapshots, kept, 1);
            assertThat(bodies(db)).containsExactly(configMap("b", "1").body());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theIdleSweepTakesThemToo(String database, @TempDir Path dir) throws Exception {
        inDatabase(database, dir, (db, snapshots) -> {
            Instant now = Instant.now();
            Instant longAgo = now.minus(IDLE_LIMIT.multipliedBy(2));
            String idle = open(snapshots, longAgo);
            snapshots.add(CLUSTER, idle, List.of(configMap("a", "1")), longAgo);

            assertThat(snapshots.discardIdle(now.minus(IDLE_LIMIT))).isEqualTo(1);
            assertThat(rows(db, "versions")).isZero();
            assertThat(rows(db, "bodies")).isZero();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theFirstCommitStagesAnotherFetchingsVersionsWhichThenCommitsOnlyItsDifferences(String database,
            @TempDir Path dir) throws Exception {
        inDatabase(database, dir, (db, snapshots) -> {
            Instant now = Instant.now();
            String first = open(snapshots, now);
            String later = open(snapshots, now);
            snapshots.add(CLUSTER, first, List.of(configMap("a", "1"), configMap("b", "1")), now);
            snapshots.add(CLUSTER, later, List.of(configMap("a", "1"), configMap("c", "1")), now);
            assertThat(rows(db, "versions")).as("both fetchings' versions").isEqualTo(4);

            commit(snapshots, first, 2);
            assertThat(bodies(db)).containsExactly(configMap("a", "1").body(), configMap("b", "1").body());
            assertThat(rows(db, "versions")).as("the snapshot's versions only").isEqualTo(2);
            assertThat(rows(db, "staged")).as("the later fetching's records, staged").isEqualTo(2);

            snapshots.add(CLUSTER, later, List.of(configMap("d", "1")), now);
            commit(snapshots, later, 3);
            assertThat(bodies(db)).containsExactly(configMap("a", "1").body(), configMap("c", "1").body(),
                    configMap("d", "1").body());
            // a unchanged (one version), b closed, c and d added.
            assertThat(rows(db, "versions")).isEqualTo(4);
            assertThat(objectCount(db)).isEqualTo(3);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aFetchingOlderThanTheFirstCommitIsStaleAndItsVersionsNeverShow(String database, @TempDir Path dir)
            throws Exception {
        inDatabase(database, dir, (db, snapshots) -> {
            Instant now = Instant.now();
            String older = open(snapshots, now);
            String newer = open(snapshots, now);
            snapshots.add(CLUSTER, older, List.of(configMap("a", "1"), configMap("b", "1")), now);
            snapshots.add(CLUSTER, newer, List.of(configMap("c", "1")), now);

            commit(snapshots, newer, 1);
            assertThat(bodies(db)).containsExactly(configMap("c", "1").body());
            assertThatThrownBy(() -> commit(snapshots, older, 2)).isInstanceOfSatisfying(Refused.class,
                    r -> assertThat(r.reason()).isEqualTo(Refused.Reason.STALE));
            assertThat(bodies(db)).containsExactly(configMap("c", "1").body());
            assertThat(rows(db, "versions")).isEqualTo(1);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aPageWritingVersionsAndTheFirstCommitOfAnotherFetchingWaitForEachOther(String database, @TempDir Path dir)
            throws Exception {
        inDatabase(database, dir, (db, snapshots) -> {
            Instant now = Instant.now();
            String first = open(snapshots, now);
            String later = open(snapshots, now);
            snapshots.add(CLUSTER, first, List.of(configMap("a", "1")), now);

            held.arm();
            FutureTask<Void> page = HeldPage.started("page", () -> snapshots.add(CLUSTER, later,
                    List.of(configMap("a", "2"), configMap("b", "1")), now));
            assertThat(held.awaitReached()).as("the page reached its lookup, deciding to write versions").isTrue();
            FutureTask<Void> committing = new FutureTask<>(() -> commit(snapshots, first, 1), null);
            Thread committer = new Thread(committing, "first commit");
            committer.start();
            boolean waited = held.awaitWaitingOrDone(() -> waits(db, committer), committing);
            held.release();
            page.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            committing.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

            assertThat(waited).as("the first commit waited for the page writing versions").isTrue();
            assertThat(bodies(db)).as("the first snapshot").containsExactly(configMap("a", "1").body());
            assertThat(rows(db, "staged")).as("the page's records, moved to staging").isEqualTo(2);
            commit(snapshots, later, 2);
            assertThat(bodies(db)).containsExactly(configMap("a", "2").body(), configMap("b", "1").body());
        });
    }

    /** Whether {@code thread}'s write waits for another: on a row lock (PostgreSQL), or for SQLite's writer. */
    private static boolean waits(Database db, Thread thread) {
        if (db.dialect() == Dialect.SQLITE) {
            return HeldPage.queuedOnTheWriter(thread);
        }
        return db.read(c -> {
            // This test's own connections carry its application name; the held page and the commit are two of them.
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity"
                    + " WHERE application_name = current_setting('application_name') AND wait_event_type = 'Lock'")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) > 0;
                }
            }
        });
    }

    private static String open(Snapshots snapshots, Instant now) {
        String id = FetchingId.generate(now);
        snapshots.start(CLUSTER, new FetchingStart(id, "uid-" + CLUSTER, false, null, now), now);
        return id;
    }

    private static void commit(Snapshots snapshots, String fetchingId, long objects) {
        snapshots.commit(CLUSTER, fetchingId, new Commit(new Counts(objects, 0, 0, 0), null, null), Instant.now());
    }

    /** The current snapshot's object bodies, in key order. */
    private static List<byte[]> bodies(Database db) {
        return new Inventory(db).list(CLUSTER, RecordKind.OBJECTS, RecordFilter.ALL, null, null, null, 100).bodies();
    }

    private static long objectCount(Database db) {
        return count(db, "SELECT f.object_count FROM clusters c JOIN fetchings f ON f.cluster_id = c.id"
                + " AND f.seq = c.current_fetching WHERE c.id = ?");
    }

    private static long rows(Database db, String table) {
        return count(db, "SELECT COUNT(*) FROM " + table + " WHERE cluster_id = ?");
    }

    private static long count(Database db, String sql) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, CLUSTER);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private void inDatabase(String database, Path dir, HeldPage.StoreTest test) throws Exception {
        // PostgreSQL: the connections are told apart from other tests' by an application name of their own.
        held.inDatabase(database, dir, "&ApplicationName=first_" + UUID.randomUUID().toString().substring(0, 8),
                new Retention(20, Duration.ofHours(1)), IDLE_LIMIT, test);
    }
}
