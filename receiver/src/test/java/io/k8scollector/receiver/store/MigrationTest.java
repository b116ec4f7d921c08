package io.k8scollector.receiver.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
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

    /** One record as the release before V8 stored it: class, key, the filtered columns and the body. */
    private record OldRecord(String cls, String key, String uid, String apiVersion, String group, String kind,
            String namespace, String name, String body) {}

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
            Dialect dialect = Dialect.of(url);
            Flyway.configure().dataSource(url, null, null).locations(dialect.migrations().toArray(String[]::new))
                    .placeholders(dialect.placeholders()).target("6").load().migrate();
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
                    seq = oldFetching(c, "shop", snapshot.getKey(), snapshot.getValue(), seq == 0 ? null : seq, true);
                }
                oldFetching(c, "shop", OPEN, List.of(db, web), null, false);
                // Another cluster holding the same body: after V8 each cluster has its own copy.
                long other = oldFetching(c, "other", OTHER, List.of(web), null, true);
                update(c, "UPDATE clusters SET current_fetching = ? WHERE id = ?", other, "other");
                update(c, "UPDATE clusters SET current_fetching = ? WHERE id = ?", seq, "shop");
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

    private static OldRecord configMap(String uid, String name, String data) {
        return new OldRecord("o", "u:" + uid, uid, "v1", "", "ConfigMap", "shop", name,
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"uid\":\"" + uid + "\",\"namespace\":\"shop\","
                        + "\"name\":\"" + name + "\"},\"data\":{\"key\":\"" + data + "\"}}");
    }

    /** Writes a fetching and its records as the release before V8 did; returns its seq. */
    private static long oldFetching(Connection c, String cluster, String fetchingId, List<OldRecord> records,
            Long previous, boolean committed) throws SQLException {
        update(c, "INSERT INTO clusters (id, unique_id) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", cluster, "uid-" + cluster);
        long now = Instant.now().toEpochMilli();
        update(c, "INSERT INTO fetchings (cluster_id, fetching_id, unique_id, started_at, last_seen_at, committed_at,"
                + " previous, object_count, added, changed, deleted, skipped) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 1, 1, '[]')",
                cluster, fetchingId, "uid-" + cluster, now, now, committed ? now : null, previous,
                records.stream().filter(r -> r.cls().equals("o")).count());
        long seq = Statements.longValue(c, "SELECT seq FROM fetchings WHERE cluster_id = ? AND fetching_id = ?",
                cluster, fetchingId);
        for (OldRecord r : records) {
            byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
            byte[] hash = Snapshots.sha256(body);
            update(c, "INSERT INTO bodies (hash, body) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING", hash, body);
            update(c, "INSERT INTO records (fetching, class, record_key, uid, api_version, api_group, kind, namespace,"
                    + " name, labels, body_hash, content_hash, carried) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, FALSE)",
                    seq, r.cls(), r.key(), r.uid(), r.apiVersion(), r.group(), r.kind(), r.namespace(), r.name(), hash, hash);
        }
        return seq;
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Statements.bind(ps, args);
            ps.executeUpdate();
        }
    }
}
