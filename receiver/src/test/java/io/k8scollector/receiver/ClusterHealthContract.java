package io.k8scollector.receiver;

import static io.k8scollector.receiver.TestObjects.configMap;
import static io.k8scollector.receiver.TestReceiver.expect204;
import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.health.CollectorActivity;
import io.k8scollector.receiver.keys.Scope;
import io.k8scollector.receiver.server.ReceiverSettings;
import io.k8scollector.receiver.store.ClusterData;
import io.k8scollector.receiver.store.Database;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Cluster health on one database (a subclass per database), with a clock that the tests move on:
 * what each request records, {@code GET /v1/clusters/{id}}, the health rule, the gauges, deleting
 * a cluster and the migration that fills the health of clusters from before.
 */
abstract class ClusterHealthContract {

    private static final Duration STALE_AFTER = Duration.ofMinutes(10);

    private final TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private String url;
    private TestReceiver receiver;

    /** A new empty database's URL. */
    abstract String freshDatabase();

    /** Frees what {@link #freshDatabase()} made. */
    abstract void drop(String url);

    @BeforeEach
    void startReceiver() {
        url = freshDatabase();
        receiver = new TestReceiver(url, ReceiverSettings.onPort(0).withHost("127.0.0.1").withStaleAfter(STALE_AFTER),
                clock);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
        drop(url);
    }

    /** A fetchingId made now by the test clock; each call a new one. */
    private String fetching() {
        return FetchingId.generate(clock.instant());
    }

    /** A protocol 1.1 start (a delta on {@code base} when not null), answered 200 or, by a store without deltas, 204. */
    private void start11(String cluster, String fetchingId, String base, String mode, Integer heartbeatSeconds) {
        Map<String, Object> collector = new HashMap<>(Map.of("version", "1.1.0", "mode", mode));
        if (heartbeatSeconds != null) {
            collector.put("heartbeatSeconds", heartbeatSeconds);
        }
        Map<String, Object> start = new HashMap<>(Map.of("protocol", "1.1", "fetchingId", fetchingId,
                "clusterUniqueId", "uid-" + cluster, "collector", collector, "startedAt", clock.instant().toString()));
        if (base != null) {
            start.put("base", base);
        }
        HttpResponse<String> answer = receiver.post(Paths.fetchings(cluster), start);
        assertThat(answer.statusCode()).as(answer.body()).isIn(200, 204);
    }

    private void commit(String cluster, String fetchingId, Map<String, Object> commit) {
        expect204(receiver.commit(cluster, fetchingId, commit));
    }

    /** Starts (as a 1.0 collector), sends one object and commits. */
    private void snapshot(String cluster, String fetchingId) {
        receiver.snapshot(cluster, fetchingId, List.of(configMap("u-" + fetchingId, "a", "one", "x", "1")), List.of());
    }

    private void abort(String cluster, String fetchingId) {
        expect204(receiver.post(Paths.abort(cluster, fetchingId), Map.of("reason", "api-unreachable",
                "message", "the API server kept answering 503", "finishedAt", clock.instant().toString())));
    }

    private JsonNode status(String cluster) {
        return receiver.getJson("/v1/clusters/" + cluster);
    }

    private String health(String cluster) {
        return status(cluster).get("health").asString();
    }

    private static Instant time(JsonNode node, String field) {
        return Instant.parse(node.get(field).asString());
    }

    @Test
    void aContinuousCollectorIsStaleAfterThreeMissedHeartbeatsAndEveryRequestKeepsItFresh() {
        String first = fetching();
        start11("cont", first, null, "continuous", 10);

        JsonNode started = status("cont");
        assertThat(started.get("health").asString()).as("never committed").isEqualTo("stale");
        assertThat(started.get("mode").asString()).isEqualTo("continuous");
        assertThat(started.get("collectorVersion").asString()).isEqualTo("1.1.0");
        assertThat(started.get("heartbeatSeconds").asInt()).isEqualTo(10);
        assertThat(time(started, "lastSeenAt")).isEqualTo(clock.instant());

        clock.advance(Duration.ofSeconds(2));
        commit("cont", first, Map.of("counts", Map.of()));
        JsonNode committed = status("cont");
        assertThat(committed.get("health").asString()).isEqualTo("ok");
        assertThat(committed.get("currentFetchingId").asString()).isEqualTo(first);
        assertThat(time(committed, "committedAt")).isEqualTo(clock.instant());

        clock.advance(Duration.ofSeconds(30));
        assertThat(health("cont")).as("three heartbeats, to the second").isEqualTo("ok");
        clock.advance(Duration.ofSeconds(1));
        assertThat(health("cont")).isEqualTo("stale");

        String beat = fetching();
        start11("cont", beat, first, "continuous", 10);
        assertThat(health("cont")).as("a start is a sign of life").isEqualTo("ok");
        clock.advance(Duration.ofSeconds(31));
        commit("cont", beat, Map.of("counts", Map.of()));
        assertThat(health("cont")).isEqualTo("ok");
        assertThat(time(status("cont"), "lastSeenAt")).isEqualTo(clock.instant());

        start11("cont", fetching(), null, "continuous", null);
        assertThat(status("cont").get("heartbeatSeconds").asInt()).as("the protocol's default").isEqualTo(60);
    }

    @Test
    void aCronJobOrOlderCollectorIsStaleAfterStaleAfterUnlessItIsStillSendingPages() {
        String cron = fetching();
        start11("cron", cron, null, "cronjob", null);
        commit("cron", cron, Map.of("counts", Map.of()));
        snapshot("legacy", fetching());
        assertThat(status("legacy").path("mode").isMissingNode()).as("a 1.0 collector names no mode").isTrue();
        assertThat(status("cron").path("heartbeatSeconds").isMissingNode()).isTrue();

        clock.advance(STALE_AFTER);
        assertThat(health("cron")).isEqualTo("ok");
        assertThat(health("legacy")).isEqualTo("ok");
        clock.advance(Duration.ofSeconds(1));
        assertThat(health("cron")).isEqualTo("stale");
        assertThat(health("legacy")).isEqualTo("stale");

        // A long full fetching: its pages keep the cluster fresh though its last commit is old.
        String slow = fetching();
        receiver.start("legacy", slow, "uid-legacy");
        for (int i = 0; i < 3; i++) {
            clock.advance(STALE_AFTER.minusMinutes(1));
            receiver.page("legacy", slow, RecordKind.OBJECTS, List.of(configMap("slow-" + i, "a", "n" + i, "x", "1")));
            assertThat(health("legacy")).isEqualTo("ok");
        }
        clock.advance(STALE_AFTER.minusMinutes(1));
        expect204(receiver.commit("legacy", slow, Map.of("counts", Map.of("objects", 3))));
        assertThat(health("legacy")).isEqualTo("ok");
    }

    @Test
    void anAbortMakesTheClusterFailingUntilALaterCommitWhateverComesBetween() {
        String committed = fetching();
        snapshot("flaky", committed);
        String failed = fetching();
        receiver.start("flaky", failed, "uid-flaky");
        clock.advance(Duration.ofSeconds(5));
        abort("flaky", failed);

        JsonNode failing = status("flaky");
        assertThat(failing.get("health").asString()).isEqualTo("failing");
        assertThat(failing.get("lastAbort").get("fetchingId").asString()).isEqualTo(failed);
        assertThat(failing.get("lastAbort").get("reason").asString()).isEqualTo("api-unreachable");
        assertThat(failing.get("lastAbort").get("message").asString()).isEqualTo("the API server kept answering 503");
        assertThat(time(failing.get("lastAbort"), "at")).isEqualTo(clock.instant());

        String next = fetching();
        receiver.start("flaky", next, "uid-flaky");
        receiver.page("flaky", next, RecordKind.OBJECTS, List.of(configMap("f1", "a", "one", "x", "1")));
        expect204(receiver.commit("flaky", committed, Map.of("counts", Map.of("objects", 1))));
        clock.advance(STALE_AFTER.plusMinutes(1));
        assertThat(health("flaky")).as("pages, a repeated commit and silence leave it failing").isEqualTo("failing");

        expect204(receiver.commit("flaky", next, Map.of("counts", Map.of("objects", 1))));
        JsonNode recovered = status("flaky");
        assertThat(recovered.get("health").asString()).isEqualTo("ok");
        assertThat(recovered.get("lastAbort").get("fetchingId").asString()).as("kept for the record").isEqualTo(failed);
    }

    @Test
    void theLastReportIsKeptAndARedactionKeyChangeNamesTheSnapshotItHoldsFrom() {
        String first = fetching();
        start11("keyed", first, null, "cronjob", null);
        commit("keyed", first, Map.of("counts", Map.of(), "report", Map.of("durationMs", 5400, "retries", 1,
                "redactionKeyId", "3f2a9c1e", "somethingNew", true)));
        JsonNode one = status("keyed");
        assertThat(one.get("lastReport").get("durationMs").asLong()).isEqualTo(5400);
        assertThat(one.get("redactionKeyId").asString()).isEqualTo("3f2a9c1e");
        assertThat(one.path("previousRedactionKeyId").isMissingNode()).isTrue();

        String second = fetching();
        start11("keyed", second, null, "cronjob", null);
        commit("keyed", second, Map.of("counts", Map.of(), "report", Map.of("durationMs", 700, "redactionKeyId", "9b1c0d2e")));
        JsonNode changed = status("keyed");
        assertThat(changed.get("lastReport").get("durationMs").asLong()).isEqualTo(700);
        assertThat(changed.get("redactionKeyId").asString()).isEqualTo("9b1c0d2e");
        assertThat(changed.get("previousRedactionKeyId").asString()).isEqualTo("3f2a9c1e");
        assertThat(changed.get("redactionKeySince").asString()).isEqualTo(second);

        String third = fetching();
        start11("keyed", third, null, "cronjob", null);
        commit("keyed", third, Map.of("counts", Map.of()));
        JsonNode unsaid = status("keyed");
        assertThat(unsaid.path("lastReport").isMissingNode()).as("a commit without a report").isTrue();
        assertThat(unsaid.get("previousRedactionKeyId").asString()).as("only reports that name a key count")
                .isEqualTo("3f2a9c1e");

        String fourth = fetching();
        start11("keyed", fourth, null, "cronjob", null);
        commit("keyed", fourth, Map.of("counts", Map.of(), "report", Map.of("redactionKeyId", "9b1c0d2e")));
        JsonNode steady = status("keyed");
        assertThat(steady.get("previousRedactionKeyId").asString()).isEqualTo("9b1c0d2e");
        assertThat(steady.get("redactionKeySince").asString()).isEqualTo(second);
    }

    @Test
    void theClusterRouteNeedsAReadKeyForThatClusterAndTheListingCarriesHealthToo() {
        snapshot("seen", fetching());
        String reader = receiver.token(List.of("seen"), Scope.READ);
        String otherReader = receiver.token(List.of("other"), Scope.READ);
        String sender = receiver.token(List.of("seen"), Scope.INGEST);

        assertThat(get("/v1/clusters/seen", reader).statusCode()).isEqualTo(200);
        assertThat(get("/v1/clusters/seen", otherReader).statusCode()).isEqualTo(403);
        assertThat(get("/v1/clusters/seen", sender).statusCode()).isEqualTo(403);
        assertThat(get("/v1/clusters/nowhere", reader).statusCode()).isEqualTo(403);
        assertThat(receiver.get("/v1/clusters/nowhere").statusCode()).isEqualTo(404);
        assertThat(receiver.get("/v1/clusters/Not_Valid").statusCode()).isEqualTo(400);

        JsonNode item = Json.MAPPER.readTree(get("/v1/clusters", reader).body()).get("items").get(0);
        assertThat(item.get("id").asString()).isEqualTo("seen");
        assertThat(item.get("health").asString()).isEqualTo("ok");
        assertThat(item).isEqualTo(status("seen"));
    }

    private HttpResponse<String> get(String path, String token) {
        return receiver.send(HttpRequest.newBuilder(receiver.uri(path)).header("Authorization", "Bearer " + token).build());
    }

    @Test
    void lastSeenAtIsWrittenAtMostOncePerSecondAndNeverMovesBack() {
        String f = fetching();
        receiver.start("pages", f, "uid-pages");
        Instant started = clock.instant();
        clock.advance(Duration.ofMillis(400));
        receiver.page("pages", f, RecordKind.OBJECTS, List.of(configMap("p1", "a", "one", "x", "1")));
        assertThat(time(status("pages"), "lastSeenAt")).as("within the second of the start").isEqualTo(started);

        Instant paged = clock.advance(Duration.ofMillis(700));
        receiver.page("pages", f, RecordKind.OBJECTS, List.of(configMap("p2", "a", "two", "x", "2")));
        assertThat(time(status("pages"), "lastSeenAt")).isEqualTo(paged);

        // Another replica on the same database, whose request came earlier but is written later.
        new CollectorActivity(receiver.db).seen("pages", started);
        assertThat(time(status("pages"), "lastSeenAt")).isEqualTo(paged);
        new CollectorActivity(receiver.db).seen("nobody", paged);
        assertThat(receiver.get("/v1/clusters/nobody").statusCode()).as("seen creates no cluster").isEqualTo(404);
    }

    @Test
    void metricsCarryEachClustersLastCommitAndWhetherItIsHealthy() {
        String f = fetching();
        snapshot("gauged", f);
        Instant committedAt = clock.instant();
        String metrics = receiver.get("/metrics").body();
        assertThat(metrics).contains("receiver_cluster_healthy{cluster=\"gauged\"} 1\n")
                .contains("receiver_cluster_last_commit_timestamp_seconds{cluster=\"gauged\"} "
                        + committedAt.getEpochSecond() + "\n")
                .contains("# TYPE receiver_deltas_total counter").contains("receiver_heartbeats_total 0")
                .contains("receiver_deletions_total 0");
        abort("gauged", f);
        assertThat(receiver.get("/metrics").body()).contains("receiver_cluster_healthy{cluster=\"gauged\"} 0\n");
    }

    @Test
    void deletingAClusterRemovesAllOfItsDataAndNothingOfTheOthers() {
        receiver.snapshot("gone", fetching(), List.of(configMap("g1", "a", "shared", "x", "same"),
                configMap("g2", "a", "own", "x", "only-here")), List.of());
        String failed = fetching();
        receiver.start("gone", failed, "uid-gone");
        abort("gone", failed);
        receiver.start("gone", fetching(), "uid-gone");
        receiver.snapshot("kept", fetching(), List.of(configMap("g1", "a", "shared", "x", "same")), List.of());
        long bodies = count("SELECT COUNT(*) FROM bodies");

        Map<String, Integer> deleted = new ClusterData(receiver.db).delete("gone");

        // Bodies are shared within a cluster only: the one "kept" holds too is its own copy and stays.
        assertThat(deleted).containsEntry("bodies", 2).containsEntry("versions", 2).containsEntry("fetchings", 3)
                .containsEntry("cluster_health", 1).containsEntry("clusters", 1);
        assertThat(count("SELECT COUNT(*) FROM bodies")).isEqualTo(bodies - 2);
        assertThat(count("SELECT COUNT(*) FROM versions WHERE cluster_id = 'gone'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM fetchings WHERE cluster_id = 'gone'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM cluster_health WHERE cluster_id = 'gone'")).isZero();
        assertThat(receiver.get("/v1/clusters/gone").statusCode()).isEqualTo(404);
        assertThat(receiver.getJson("/v1/clusters/kept/objects").get("items").get(0).get("data").get("key").asString())
                .isEqualTo("same");
        assertThat(new ClusterData(receiver.db).delete("gone")).isEmpty();
    }

    private long count(String sql) {
        return receiver.db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void theMigrationFillsTheHealthOfClustersFromBefore() throws Exception {
        String before = freshDatabase();
        try {
            boolean sqlite = before.startsWith("jdbc:sqlite:");
            Flyway.configure().dataSource(before, null, null)
                    .locations(sqlite ? new String[] {"classpath:db/migration"}
                            : new String[] {"classpath:db/migration", "classpath:db/postgresql"})
                    .placeholders(sqlite ? Map.of("serial", "INTEGER PRIMARY KEY AUTOINCREMENT", "bytes", "BLOB")
                            : Map.of("serial", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "bytes", "BYTEA"))
                    .target("6").load().migrate();
            try (Connection c = DriverManager.getConnection(before)) {
                insert(c, "INSERT INTO fetchings (cluster_id, fetching_id, unique_id, collector_version, started_at,"
                        + " last_seen_at, committed_at) VALUES (?, ?, 'u', '1.0.0', 1000, ?, ?)", "ok", "a".repeat(24), 5000, 6000);
                insert(c, "INSERT INTO fetchings (cluster_id, fetching_id, unique_id, collector_version, started_at,"
                        + " last_seen_at, committed_at) VALUES (?, ?, 'u', '1.0.0', 1000, ?, ?)", "down", "b".repeat(24), 5000, 6000);
                insert(c, "INSERT INTO fetchings (cluster_id, fetching_id, unique_id, collector_version, started_at,"
                        + " last_seen_at) VALUES (?, ?, 'u', '1.0.5', 7000, ?)", "ok", "c".repeat(24), 8000);
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO clusters (id, unique_id, current_fetching) SELECT cluster_id, 'u', seq"
                            + " FROM fetchings WHERE committed_at IS NOT NULL");
                    s.execute("UPDATE clusters SET abort_fetching_id = 'x', abort_reason = 'failed', abort_received_at = 9000"
                            + " WHERE id = 'down'");
                }
                if (!c.getAutoCommit()) {
                    c.commit();
                }
            }
            try (Database db = Database.open(before)) {
                List<String> rows = db.read(c -> {
                    List<String> read = new ArrayList<>();
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT cluster_id, last_seen_at,"
                            + " collector_version, last_commit_at, failing FROM cluster_health ORDER BY cluster_id")) {
                        while (rs.next()) {
                            read.add(rs.getString(1) + " " + rs.getLong(2) + " " + rs.getString(3) + " " + rs.getLong(4)
                                    + " " + rs.getBoolean(5));
                        }
                    }
                    return read;
                });
                assertThat(rows).containsExactly("down 9000 1.0.0 6000 true", "ok 8000 1.0.5 6000 false");
            }
        } finally {
            drop(before);
        }
    }

    private static void insert(Connection c, String sql, Object... args) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i] instanceof Integer n ? (Object) n.longValue() : args[i]);
            }
            ps.executeUpdate();
        }
    }
}
