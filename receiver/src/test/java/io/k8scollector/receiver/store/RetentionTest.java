package io.k8scollector.receiver.store;

import static io.k8scollector.receiver.store.BodiesRaceTest.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retention by age with a minimum that heartbeats do not count toward, on both databases: old
 * snapshots are merged away, what they alone saw goes with them, and no kept record is left
 * without its body. Times are given to the store, so no test waits for them.
 */
class RetentionTest {

    private static final String CLUSTER = "aged";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void pastItsAgeOnlyTheCurrentAndTheNewestFullOnesStay() {
        Retention retention = new Retention(2, Duration.ofHours(1));
        assertThat(retention.cutoff(T0.plusSeconds(7200))).isEqualTo(T0.plusSeconds(3600));
        List<Retention.Snapshot> pastCutoff = List.of(
                new Retention.Snapshot(9, T0.plusSeconds(70), true),
                new Retention.Snapshot(8, T0.plusSeconds(60), true),
                new Retention.Snapshot(7, T0.plusSeconds(60), false),
                new Retention.Snapshot(6, T0.plusSeconds(50), false),
                new Retention.Snapshot(5, T0, false));
        // 9 is current; 7 and 6 are the newest two full ones; the heartbeat 8 does not count.
        assertThat(retention.dropped(pastCutoff, 9, 6)).containsExactly(8L, 5L);
        assertThat(retention.dropped(pastCutoff, 9, Long.MIN_VALUE)).containsExactly(8L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void oldSnapshotsAreMergedAwayWithWhatOnlyTheySaw(String database, @TempDir Path dir) {
        String url = database.equals("sqlite") ? TestDatabases.sqlite(dir) : TestDatabases.freshPostgresSchema();
        try (Database db = Database.open(url)) {
            Snapshots store = new Snapshots(db, new Retention(2, Duration.ofHours(1)), Duration.ofMinutes(15), 4);
            Inventory inventory = new Inventory(db);
            String first = commit(store, null, T0, List.of(configMap("a", "1"), configMap("b", "1")), List.of());
            String second = commit(store, first, T0.plusSeconds(60), List.of(configMap("a", "2")), List.of());
            String beat = commit(store, second, T0.plusSeconds(120), List.of(), List.of());
            String third = commit(store, beat, T0.plusSeconds(180), List.of(),
                    List.of(Deletion.object("b", "v1", "ConfigMap", "a", "b")));
            String token = inventory.list(CLUSTER, RecordKind.OBJECTS, RecordFilter.ALL, first, null, null, 1)
                    .snapshot().fetchingId();
            assertThat(versions(db)).isEqualTo(3);

            // Three hours later: the current one and the newest two that are not heartbeats stay.
            assertThat(store.mergeAll(T0.plusSeconds(3 * 3600))).isEqualTo(2);
            assertThat(names(inventory, second)).containsExactly("a", "b");
            assertThat(names(inventory, third)).containsExactly("a");
            assertThatThrownBy(() -> names(inventory, first)).isInstanceOf(Refused.class)
                    .hasFieldOrPropertyWithValue("reason", Refused.Reason.NOT_FOUND);
            assertThatThrownBy(() -> names(inventory, beat)).isInstanceOf(Refused.class);
            assertThatThrownBy(() -> inventory.list(CLUSTER, RecordKind.OBJECTS, RecordFilter.ALL, null, token, "u:a", 1))
                    .isInstanceOf(Refused.class).hasFieldOrPropertyWithValue("reason", Refused.Reason.GONE);
            // a's first version was seen by the first snapshot alone.
            assertThat(versions(db)).isEqualTo(2);
            assertThat(count(db, "SELECT COUNT(*) FROM bodies")).isEqualTo(2);
            assertThat(count(db, "SELECT COUNT(*) FROM versions v WHERE NOT EXISTS (SELECT 1 FROM bodies b"
                    + " WHERE b.cluster_id = v.cluster_id AND b.hash = v.body_hash)")).isZero();
            assertThat(store.mergeAll(T0.plusSeconds(3 * 3600))).isZero();
        } finally {
            if (database.equals("postgresql")) {
                TestDatabases.dropPostgresSchema(url);
            }
        }
    }

    /** A full fetching ({@code base} null) or a delta on it, committed at {@code at}; its id. */
    private static String commit(Snapshots store, String base, Instant at, List<RecordRow> rows, List<Deletion> deletions) {
        String id = FetchingId.generate(at);
        store.start(CLUSTER, new FetchingStart(FetchingStart.PROTOCOL_1_1, id, base, "uid", false, null, at), at);
        if (!rows.isEmpty()) {
            store.add(CLUSTER, id, rows, at);
        }
        if (!deletions.isEmpty()) {
            store.delete(CLUSTER, id, deletions, at);
        }
        Counts counts = new Counts(rows.size(), 0, 0, 0, deletions.size());
        store.commit(CLUSTER, id, new Commit(counts, at, base == null ? List.of() : null, null, null), at);
        return id;
    }

    private static List<String> names(Inventory inventory, String at) {
        List<String> names = new ArrayList<>();
        for (byte[] body : inventory.list(CLUSTER, RecordKind.OBJECTS, RecordFilter.ALL, at, null, null, 100).bodies()) {
            String text = new String(body, StandardCharsets.UTF_8);
            names.add(text.replaceAll(".*\"name\":\"([^\"]*)\".*", "$1"));
        }
        return names;
    }

    private static long versions(Database db) {
        return count(db, "SELECT COUNT(*) FROM versions");
    }

    private static long count(Database db, String sql) {
        return db.read(c -> {
            try (ResultSet rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
