package io.k8scollector.receiver.store;

import static io.k8scollector.receiver.store.ReleaseBeforeV8.configMap;
import static io.k8scollector.receiver.store.ReleaseBeforeV8.fetching;
import static io.k8scollector.receiver.store.ReleaseBeforeV8.makeCurrent;
import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.TestDatabases;
import io.k8scollector.receiver.store.ReleaseBeforeV8.OldRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The temporal schema's migration (V8) from a database that the release before it made: the
 * schema up to V6, filled the way that release wrote it (a membership row per record per
 * snapshot, bodies shared across clusters, keys with "null" for an absent namespace), keeps
 * every committed snapshot's content, and an open fetching can still commit after the upgrade.
 */
class MigrationTest {

    private static final String FIRST = "000000010000000000000001";
    private static final String SECOND = "000000020000000000000002";
    private static final String THIRD = "000000030000000000000003";
    private static final String OPEN = "000000040000000000000004";
    private static final String OTHER = "000000050000000000000005";

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void everyCommittedSnapshotKeepsItsContentAndAnOpenFetchingStillCommits(String database, @TempDir Path dir)
            throws Exception {
        String url = database.equals("sqlite") ? TestDatabases.sqlite(dir) : TestDatabases.freshPostgresSchema();
        try {
            ReleaseBeforeV8.createSchema(url);
            OldRecord web = configMap("w", "web", "1");
            OldRecord webChanged = configMap("w", "web", "2");
            OldRecord db = configMap("d", "db", "1");
            OldRecord namespace = new OldRecord("o", "n:v1/Namespace/null/shop", null, "v1", "", "Namespace", null, "shop",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}");
            OldRecord release = new OldRecord("h", "helm/shop/store", null, null, "helm", "secret", "shop", "store",
                    "{\"name\":\"store\",\"namespace\":\"shop\",\"revision\":1}");
            OldRecord type = new OldRecord("t", "/configmaps", null, "v1", "", "ConfigMap", null, "configmaps",
                    "{\"group\":\"\",\"version\":\"v1\",\"kind\":\"ConfigMap\",\"resource\":\"configmaps\"}");
            Map<String, List<OldRecord>> snapshots = new LinkedHashMap<>();
            snapshots.put(FIRST, List.of(web, db, namespace, release, type));
            snapshots.put(SECOND, List.of(webChanged, namespace, release, type));
            snapshots.put(THIRD, List.of(web, namespace, type));
            try (Connection c = DriverManager.getConnection(url)) {
                long seq = 0;
                for (Map.Entry<String, List<OldRecord>> snapshot : snapshots.entrySet()) {
                    seq = fetching(c, "shop", snapshot.getKey(), snapshot.getValue(), seq == 0 ? null : seq, true);
                }
                fetching(c, "shop", OPEN, List.of(db, web), null, false);
                // Another cluster holding the same body: after V8 each cluster has its own copy.
                long other = fetching(c, "other", OTHER, List.of(web), null, true);
                makeCurrent(c, "other", other);
                makeCurrent(c, "shop", seq);
            }

            try (Database migrated = Database.open(url)) {
                Inventory inventory = new Inventory(migrated);
                for (Map.Entry<String, List<OldRecord>> snapshot : snapshots.entrySet()) {
                    for (RecordKind kind : List.of(RecordKind.OBJECTS, RecordKind.HELM_RELEASES, RecordKind.TYPES)) {
                        List<String> expected = snapshot.getValue().stream()
                                .filter(r -> r.cls().equals(Versions.code(kind))).map(OldRecord::body).sorted().toList();
                        assertThat(bodies(inventory, "shop", kind, snapshot.getKey()))
                                .as(kind + " of " + snapshot.getKey()).isEqualTo(expected);
                    }
                }
                assertThat(bodies(inventory, "shop", RecordKind.OBJECTS, null)).containsExactlyInAnyOrder(web.body(),
                        namespace.body());
                assertThat(bodies(inventory, "other", RecordKind.OBJECTS, null)).containsExactly(web.body());
                Changes changes = inventory.changes("shop", FIRST, SECOND);
                assertThat(changes.changed()).extracting(ObjectRef::name).containsExactly("web");
                assertThat(changes.deleted()).extracting(ObjectRef::name).containsExactly("db");

                Snapshots store = new Snapshots(migrated, new Retention(20, Duration.ZERO), Duration.ofMinutes(15), 4);
                store.commit("shop", OPEN, new Commit(new Counts(2, 0, 0, 0), null, List.of()), Instant.now());
                assertThat(bodies(inventory, "shop", RecordKind.OBJECTS, null)).containsExactlyInAnyOrder(web.body(),
                        db.body());
                assertThat(bodies(inventory, "shop", RecordKind.OBJECTS, THIRD)).containsExactlyInAnyOrder(web.body(),
                        namespace.body());
            }
        } finally {
            if (database.equals("postgresql")) {
                TestDatabases.dropPostgresSchema(url);
            }
        }
    }

    private static List<String> bodies(Inventory inventory, String cluster, RecordKind kind, String at) {
        List<String> bodies = new ArrayList<>();
        inventory.list(cluster, kind, RecordFilter.ALL, at, null, null, 100).bodies()
                .forEach(b -> bodies.add(new String(b, StandardCharsets.UTF_8)));
        return bodies.stream().sorted().toList();
    }
}
