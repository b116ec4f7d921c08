package io.k8scollector.receiver.store;

import static io.k8scollector.receiver.store.BodiesRaceTest.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.CompleteType;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.TestDatabases;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every statement of the hot paths (pages, deletions, commits of full fetchings, deltas and
 * heartbeats, every query "as of" a snapshot, changes) names its cluster, so that a layout
 * distributed by cluster (Citus) routes each to one node and no hot query joins across
 * clusters; and the list query reads one index range of the versions' key.
 */
class HotQueriesTest {

    /** A statement names its cluster: a bound cluster_id (or the clusters' id), or an insert that leads with it. */
    private static final Pattern NAMES_ITS_CLUSTER = Pattern.compile(
            "(?s).*(\\bcluster_id = \\?|\\bid = \\?|^INSERT INTO \\w+ \\((cluster_id|id),).*");
    private static final Set<String> CLUSTER_TABLES = Set.of("clusters", "fetchings", "versions", "bodies", "staged",
            "staged_seen", "staged_deletions");

    @Test
    void everyHotStatementFiltersOnItsCluster() {
        String url = TestDatabases.freshPostgresSchema();
        Set<String> statements = ConcurrentHashMap.newKeySet();
        try (Database db = Database.open(url, statements::add)) {
            Snapshots store = new Snapshots(db, new Retention(10, Duration.ZERO), Duration.ofMinutes(15), 4);
            Inventory inventory = new Inventory(db);
            InventoryViews views = new InventoryViews(db);
            Instant now = Instant.now();
            String full = FetchingId.generate(now);
            store.start("hot", new FetchingStart(FetchingStart.PROTOCOL_1_1, full, null, "uid", false, null, now), now);
            store.add("hot", full, List.of(configMap("a", "1"), configMap("b", "1")), now);
            store.commit("hot", full, new Commit(new Counts(2, 0, 0, 0), now, List.of()), now);
            String again = FetchingId.generate(now);
            store.start("hot", new FetchingStart(FetchingStart.PROTOCOL_1_1, again, null, "uid", false, null, now), now);
            store.add("hot", again, List.of(configMap("a", "1"), configMap("b", "2"), configMap("c", "1")), now);
            store.commit("hot", again, new Commit(new Counts(3, 0, 0, 0), now, List.of()), now);
            String delta = FetchingId.generate(now);
            store.start("hot", new FetchingStart(FetchingStart.PROTOCOL_1_1, delta, again, "uid", false, null, now), now);
            store.add("hot", delta, List.of(configMap("d", "1")), now);
            store.delete("hot", delta, List.of(Deletion.object("a", "v1", "ConfigMap", "a", "a")), now);
            store.commit("hot", delta, new Commit(new Counts(1, 0, 0, 0, 1), now, null,
                    List.of(CompleteType.records(RecordKind.TREES)), null), now);
            long contentAfterDelta = views.contentSeq("hot");
            String beat = FetchingId.generate(now);
            store.start("hot", new FetchingStart(FetchingStart.PROTOCOL_1_1, beat, delta, "uid", false, null, now), now);
            store.commit("hot", beat, new Commit(Counts.ZERO, now, null, null, null), now);
            // The browser's image cache is keyed on it: a heartbeat must leave it.
            assertThat(views.contentSeq("hot")).isEqualTo(contentAfterDelta).isPositive();
            for (String at : new String[] {null, again, now.plusSeconds(1).toString()}) {
                inventory.list("hot", RecordKind.OBJECTS, RecordFilter.ALL, at, null, null, 10);
                inventory.kinds("hot", at);
                inventory.object("hot", "b", at);
                inventory.tree("hot", "b", at);
                inventory.eachTree("hot", at, body -> { });
                views.objects("hot", new InventoryViews.ObjectQuery("", "ConfigMap", "a", "b", l -> true), at, null, 10);
                views.namespaces("hot", "", "ConfigMap", at);
                views.object("hot", "b", at);
            }
            views.eachOfKind("hot", "", "Pod", body -> { }, body -> { });
            assertThat(views.history("hot", "b")).extracting(InventoryViews.HistoryEntry::change)
                    .containsExactly("added", "changed");
            inventory.changes("hot", null, null);
            inventory.changes("hot", again, delta);
            inventory.list("hot", RecordKind.OBJECTS, RecordFilter.ALL, null, delta, "u:b", 10);

            List<String> unfiltered = statements.stream()
                    .filter(sql -> CLUSTER_TABLES.stream().anyMatch(t -> Pattern.compile("(?i)\\b(FROM|INTO|UPDATE|JOIN) "
                            + t + "\\b").matcher(sql).find()))
                    .filter(sql -> !NAMES_ITS_CLUSTER.matcher(sql).matches())
                    .toList();
            assertThat(statements).hasSizeGreaterThan(30);
            assertThat(unfiltered).as("statements that do not name their cluster").isEmpty();

            String plan = db.read(c -> {
                StringBuilder text = new StringBuilder();
                try (ResultSet rs = c.createStatement().executeQuery("EXPLAIN SELECT v.record_key, v.labels, b.body"
                        + " FROM versions v JOIN bodies b ON b.cluster_id = v.cluster_id AND b.hash = v.body_hash"
                        + " WHERE v.cluster_id = 'hot' AND v.class = 'o' AND v.record_key > '' AND v.valid_from <= 5"
                        + " AND v.valid_to > 5 ORDER BY v.record_key LIMIT 500")) {
                    while (rs.next()) {
                        text.append(rs.getString(1)).append('\n');
                    }
                }
                return text.toString();
            });
            assertThat(plan).contains("versions_pkey").contains("cluster_id = 'hot'").doesNotContain("Seq Scan on versions");
        } finally {
            TestDatabases.dropPostgresSchema(url);
        }
    }
}
