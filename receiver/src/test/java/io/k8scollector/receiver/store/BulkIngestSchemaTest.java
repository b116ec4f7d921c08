package io.k8scollector.receiver.store;

import static io.k8scollector.receiver.store.BodiesRaceTest.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.receiver.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What keeps a first full fetching's ingest cheap on PostgreSQL (migrations V10 and V11): the
 * staging tables are unlogged, the statistics of the versions are refreshed after the commit
 * that doubles them (not inside it), and the statements that range over {@code valid_to} take
 * the index over closed versions in generic plans too, which only a literal predicate allows.
 */
class BulkIngestSchemaTest {

    private static final String CLUSTER = "bulk";
    private static final int OBJECTS = 1000;

    @Test
    void stagingIsUnloggedStatisticsFollowTheCommitAndClosedRangesTakeTheirIndex() throws Exception {
        String url = TestDatabases.freshPostgresSchema();
        Set<String> statements = ConcurrentHashMap.newKeySet();
        try (Database db = Database.open(url, statements::add)) {
            List<String> unlogged = db.read(c -> strings(c, "SELECT relname FROM pg_class"
                    + " WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' AND relpersistence = 'u'"
                    + " ORDER BY relname"));
            assertThat(unlogged).containsExactly("staged", "staged_deletions", "staged_seen");

            Snapshots store = new Snapshots(db, new Retention(1, Duration.ZERO), Duration.ofMinutes(15), 4);
            Instant now = Instant.now();
            commit(store, now, IntStream.range(0, OBJECTS).mapToObj(i -> configMap("o" + i, "1")).toList());
            awaitAnalysedVersions(db, OBJECTS);

            // Two more snapshots, the first changing one object: the merge drops the oldest and its closed version.
            List<RecordRow> changed = new ArrayList<>(IntStream.range(0, OBJECTS)
                    .mapToObj(i -> configMap("o" + i, i == 0 ? "2" : "1")).toList());
            commit(store, now.plusSeconds(1), changed);
            commit(store, now.plusSeconds(2), changed);
            new Inventory(db).changes(CLUSTER, null, null);

            List<String> closedRanges = statements.stream().filter(sql -> sql.contains("valid_to <")).toList();
            assertThat(closedRanges).anyMatch(sql -> sql.startsWith("DELETE FROM versions"))
                    .anyMatch(sql -> sql.startsWith("DELETE FROM bodies")).anyMatch(sql -> sql.contains("v.valid_from >"));
            for (String sql : closedRanges) {
                assertThat(genericPlan(db, sql)).as(sql).contains("versions_closed");
            }
        } finally {
            TestDatabases.dropPostgresSchema(url);
        }
    }

    private static void commit(Snapshots store, Instant now, List<RecordRow> objects) {
        String id = FetchingId.generate(now);
        store.start(CLUSTER, new FetchingStart(FetchingStart.PROTOCOL_1_1, id, null, "uid", false, null, now), now);
        store.add(CLUSTER, id, objects, now);
        store.commit(CLUSTER, id, new Commit(new Counts(objects.size(), 0, 0, 0), now, List.of()), now);
    }

    /** Waits for the statistics of the versions to count at least {@code rows}: the ANALYZE after the commit. */
    private static void awaitAnalysedVersions(Database db, long rows) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (db.read(c -> Statements.longValue(c, db.dialect().analyzedRows())) < rows) {
            assertThat(System.nanoTime() - deadline).as("time left for the versions to be analysed").isNegative();
            Thread.sleep(20);
        }
    }

    /** The generic plan of {@code sql} (its {@code ?} bound as PREPARE parameters, every one 1). */
    private static String genericPlan(Database db, String sql) {
        StringBuilder numbered = new StringBuilder();
        int n = 0;
        for (char ch : sql.toCharArray()) {
            if (ch == '?') {
                numbered.append('$').append(++n);
            } else {
                numbered.append(ch);
            }
        }
        String args = String.join(", ", Collections.nCopies(n, "'1'"));
        return db.read(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                s.execute("PREPARE closed_range AS " + numbered);
                try {
                    return String.join("\n", strings(c, "EXPLAIN EXECUTE closed_range(" + args + ")"));
                } finally {
                    s.execute("DEALLOCATE closed_range");
                }
            }
        });
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
