package io.k8scollector.receiver;

import static io.k8scollector.receiver.TestObjects.configMap;
import static io.k8scollector.receiver.TestObjects.deployment;
import static io.k8scollector.receiver.TestReceiver.expect204;
import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Abort;
import io.k8scollector.protocol.CompleteType;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import io.k8scollector.receiver.server.ReceiverSettings;
import io.k8scollector.receiver.store.Retention;
import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Protocol 1.1 against a receiver on one database (a subclass per database): deltas with
 * upserts and deletions of every record kind, {@code completeTypes}, {@code skipped} carry-over,
 * heartbeats, {@code base_mismatch}, repeated commits, and snapshots that cost what changed.
 * Each test uses its own cluster id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeltaContract {

    private static final Map<String, Object> COLLECTOR = Map.of("version", "1.1.0", "mode", "continuous",
            "heartbeatSeconds", 1);

    TestReceiver receiver;

    abstract String databaseUrl();

    void dropDatabase() {}

    @BeforeAll
    void startReceiver() {
        // Every snapshot of the last hour is kept, heartbeats too.
        receiver = new TestReceiver(databaseUrl(), ReceiverSettings.onPort(0).withHost("127.0.0.1")
                .withRetention(new Retention(50, Duration.ofHours(1))));
    }

    @AfterAll
    void stopReceiver() {
        receiver.close();
        dropDatabase();
    }

    static String fetching() {
        return FetchingId.generate(Instant.now());
    }

    /** A 1.1 start ({@code base} null: full); the answer as it came. */
    HttpResponse<String> start(String cluster, String fetchingId, String base) {
        Map<String, Object> start = new HashMap<>(Map.of("protocol", FetchingStart.PROTOCOL_1_1, "fetchingId", fetchingId,
                "clusterUniqueId", "uid-" + cluster, "collector", COLLECTOR, "startedAt", Instant.now().toString()));
        if (base != null) {
            start.put("base", base);
        }
        return receiver.post(Paths.fetchings(cluster), start);
    }

    /** A full 1.1 fetching of {@code objects}, committed; its id. */
    String full(String cluster, List<?> objects) {
        String f = fetching();
        JsonNode answer = Json.MAPPER.readTree(expect200(start(cluster, f, null)));
        assertThat(answer.get("mode").asString()).isEqualTo("full");
        if (!objects.isEmpty()) {
            receiver.page(cluster, f, RecordKind.OBJECTS, objects);
        }
        expect204(receiver.commit(cluster, f, Map.of("counts", Map.of("objects", objects.size()))));
        return f;
    }

    /** Starts a delta on {@code base}, expecting it accepted; its id. */
    String delta(String cluster, String base) {
        String f = fetching();
        JsonNode answer = Json.MAPPER.readTree(expect200(start(cluster, f, base)));
        assertThat(answer.get("mode").asString()).isEqualTo("delta");
        assertThat(answer.get("base").asString()).isEqualTo(base);
        assertThat(answer.get("protocol").asString()).isEqualTo("1.1");
        return f;
    }

    HttpResponse<String> deletions(String cluster, String fetchingId, List<Deletion> deletions) {
        return receiver.post(Paths.deletions(cluster, fetchingId), Map.of("deletions", deletions));
    }

    static String expect200(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }

    static JsonNode expectError(HttpResponse<String> answer, int status, String code) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        JsonNode body = Json.MAPPER.readTree(answer.body());
        assertThat(body.get("error").asString()).isEqualTo(code);
        return body;
    }

    List<String> names(String cluster, String query) {
        List<String> names = new ArrayList<>();
        receiver.getJson("/v1/clusters/" + cluster + "/objects" + query).get("items")
                .forEach(o -> names.add(o.get("metadata").get("name").asString()));
        return names;
    }

    List<String> names(String cluster) {
        return names(cluster, "");
    }

    long rows(String table, String cluster) {
        return Long.parseLong(one("SELECT COUNT(*) FROM " + table + " WHERE cluster_id = ?", cluster));
    }

    /** The first column of the first row of a query, as text. */
    String one(String sql, String... args) {
        return receiver.db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setString(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).as(sql).isTrue();
                    return rs.getString(1);
                }
            }
        });
    }

    @Test
    void aStartWithTheProtocolIsAnswered200AndOneWithoutIt204() {
        String f = fetching();
        JsonNode answer = Json.MAPPER.readTree(expect200(start("answers", f, null)));
        assertThat(answer.path("base").isMissingNode() || answer.get("base").isNull()).as(answer.toString()).isTrue();
        assertThat(Json.MAPPER.readTree(expect200(start("answers", f, null))).get("mode").asString()).isEqualTo("full");
        receiver.start("answers", fetching(), "uid-answers");
    }

    @Test
    void aDeltaAppliesUpsertsAndDeletionsOnItsBase() {
        String base = full("apply", List.of(configMap("a1", "a", "keep", "x", "1"), configMap("a2", "a", "change", "x", "1"),
                configMap("a3", "a", "drop", "x", "1")));
        String d = delta("apply", base);
        receiver.page("apply", d, RecordKind.OBJECTS, List.of(configMap("a2", "a", "change", "x", "2"),
                configMap("a4", "a", "new", "x", "1")));
        expect204(deletions("apply", d, List.of(Deletion.object("a3", "v1", "ConfigMap", "a", "drop"),
                Deletion.object("never-there", "v1", "ConfigMap", "a", "ghost"))));
        expectError(receiver.commit("apply", d, Map.of("counts", Map.of("objects", 2, "deletions", 3))), 409, "incomplete");
        expect204(receiver.commit("apply", d, Map.of("counts", Map.of("objects", 2, "deletions", 2))));

        assertThat(names("apply")).containsExactlyInAnyOrder("keep", "change", "new");
        assertThat(receiver.get("/metrics").body()).containsPattern("receiver_deletions_total [1-9]");
        assertThat(receiver.getJson("/v1/clusters/apply/objects/a2").get("data").get("key").asString()).isEqualTo("2");
        JsonNode changes = receiver.getJson("/v1/clusters/apply/changes");
        assertThat(changes.get("from").asString()).isEqualTo(base);
        assertThat(changes.get("to").asString()).isEqualTo(d);
        assertThat(changes.get("added").valueStream().map(r -> r.get("name").asString())).containsExactly("new");
        assertThat(changes.get("changed").valueStream().map(r -> r.get("name").asString())).containsExactly("change");
        assertThat(changes.get("deleted").valueStream().map(r -> r.get("name").asString())).containsExactly("drop");
        JsonNode cluster = receiver.getJson("/v1/clusters").get("items").valueStream()
                .filter(c -> c.get("id").asString().equals("apply")).findFirst().orElseThrow();
        assertThat(cluster.get("objectCount").asLong()).isEqualTo(3);
        // The base reads as it was.
        assertThat(names("apply", "?at=" + base)).containsExactlyInAnyOrder("keep", "change", "drop");
    }

    @Test
    void deltasDeleteAndReplaceEveryRecordKind() {
        String base = fetching();
        expect200(start("kinds", base, null));
        receiver.page("kinds", base, RecordKind.HELM_RELEASES, List.of(release("shop", 1), release("blog", 1)));
        receiver.page("kinds", base, RecordKind.TYPES, List.of(TestObjects.type("", "v1", "ConfigMap", "configmaps"),
                TestObjects.type("apps", "v1", "Deployment", "deployments")));
        receiver.page("kinds", base, RecordKind.TREES, List.of(tree("t1", "c1"), tree("t2", "c2")));
        expect204(receiver.commit("kinds", base, Map.of("counts", Map.of("helmReleases", 2, "types", 2, "trees", 2))));

        String d = delta("kinds", base);
        receiver.page("kinds", d, RecordKind.HELM_RELEASES, List.of(release("shop", 2)));
        receiver.page("kinds", d, RecordKind.TREES, List.of(tree("t1", "c9")));
        expect204(deletions("kinds", d, List.of(Deletion.helmRelease("helm", "a", "blog"), Deletion.type("apps", "deployments"),
                Deletion.tree("t2"))));
        expect204(receiver.commit("kinds", d, Map.of("counts", Map.of("helmReleases", 1, "trees", 1, "deletions", 3))));

        JsonNode releases = receiver.getJson("/v1/clusters/kinds/helm-releases").get("items");
        assertThat(releases).hasSize(1);
        assertThat(releases.get(0).get("revision").asInt()).isEqualTo(2);
        assertThat(receiver.getJson("/v1/clusters/kinds/types").get("items").valueStream()
                .map(t -> t.get("resource").asString())).containsExactly("configmaps");
        assertThat(receiver.getJson("/v1/clusters/kinds/trees/t1").get("children").get(0).get("uid").asString())
                .isEqualTo("c9");
        expectError(receiver.get("/v1/clusters/kinds/trees/t2"), 404, "not_found");
        // Every kind as of the base.
        assertThat(receiver.getJson("/v1/clusters/kinds/helm-releases?at=" + base).get("items")).hasSize(2);
        assertThat(receiver.getJson("/v1/clusters/kinds/types?at=" + base).get("items")).hasSize(2);
        assertThat(receiver.getJson("/v1/clusters/kinds/trees/t2?at=" + base).get("uid").asString()).isEqualTo("t2");
        assertThat(receiver.getJson("/v1/clusters/kinds/trees/c1?at=" + base).get("uid").asString()).isEqualTo("c1");
    }

    @Test
    void aBaseThatIsNotCurrentIsAMismatchAtStartAndAtCommit() {
        JsonNode none = expectError(start("mismatch", fetching(), fetching()), 409, "base_mismatch");
        assertThat(none.get("current").isNull()).isTrue();
        String base = full("mismatch", List.of(configMap("m1", "a", "one", "x", "1")));
        JsonNode wrong = expectError(start("mismatch", fetching(), fetching()), 409, "base_mismatch");
        assertThat(wrong.get("current").asString()).isEqualTo(base);

        String first = delta("mismatch", base);
        String second = delta("mismatch", base);
        receiver.page("mismatch", first, RecordKind.OBJECTS, List.of(configMap("m2", "a", "two", "x", "1")));
        expect204(receiver.commit("mismatch", first, Map.of("counts", Map.of("objects", 1))));
        JsonNode late = expectError(receiver.commit("mismatch", second, Map.of("counts", Map.of())), 409, "base_mismatch");
        assertThat(late.get("current").asString()).isEqualTo(first);

        // A commit repeated after a lost answer is 204 even once another fetching became current.
        String third = delta("mismatch", first);
        expect204(receiver.commit("mismatch", third, Map.of("counts", Map.of())));
        expect204(receiver.commit("mismatch", first, Map.of("counts", Map.of("objects", 1))));
        assertThat(names("mismatch")).containsExactlyInAnyOrder("one", "two");
    }

    @Test
    void deletionsAndCompleteTypesAreRefusedInAFullFetching() {
        String base = full("fullonly", List.of());
        String f = fetching();
        expect200(start("fullonly", f, null));
        expectError(deletions("fullonly", f, List.of(Deletion.tree("x"))), 400, "bad_request");
        expectError(receiver.commit("fullonly", f, Map.of("counts", Map.of(), "completeTypes",
                List.of(CompleteType.objects("", "configmaps", "ConfigMap")))), 400, "bad_request");
        assertThat(receiver.getJson("/v1/clusters").get("items").valueStream()
                .filter(c -> c.get("id").asString().equals("fullonly")).findFirst().orElseThrow()
                .get("currentFetchingId").asString()).isEqualTo(base);
    }

    @Test
    void aKeySentAndDeletedInOneDeltaIsABadRequest() {
        String base = full("both", List.of(configMap("b1", "a", "one", "x", "1")));
        String d = delta("both", base);
        receiver.page("both", d, RecordKind.OBJECTS, List.of(configMap("b1", "a", "one", "x", "2")));
        expect204(deletions("both", d, List.of(Deletion.object("b1", "v1", "ConfigMap", "a", "one"))));
        expectError(receiver.commit("both", d, Map.of("counts", Map.of("objects", 1, "deletions", 1))), 400, "bad_request");
        assertThat(receiver.getJson("/v1/clusters/both/objects/b1").get("data").get("key").asString()).isEqualTo("1");
        // Also when the record sent equals its current version (it costs no staged row).
        String again = delta("both", base);
        receiver.page("both", again, RecordKind.OBJECTS, List.of(configMap("b1", "a", "one", "x", "1")));
        expect204(deletions("both", again, List.of(Deletion.object("b1", "v1", "ConfigMap", "a", "one"))));
        expectError(receiver.commit("both", again, Map.of("counts", Map.of("objects", 1, "deletions", 1))), 400,
                "bad_request");
    }

    @Test
    void completeTypesDeleteTheBasesOtherRecordsOfThoseTypesExceptSkippedObjects() {
        String base = full("complete", List.of(configMap("c1", "a", "stays", "x", "1"), configMap("c2", "a", "gone", "x", "1"),
                configMap("c3", "b", "big", "x", "1"), deployment("c4", "a", "web")));
        String d = delta("complete", base);
        receiver.page("complete", d, RecordKind.OBJECTS, List.of(configMap("c1", "a", "stays", "x", "1")));
        expect204(receiver.commit("complete", d, Map.of("counts", Map.of("objects", 1),
                "completeTypes", List.of(CompleteType.objects("", "configmaps", "ConfigMap")),
                "skipped", List.of(Skipped.object("", "v1", "configmaps", "b", "big", Skipped.Reason.TOO_LARGE, "2 MB")))));
        // The type of a skipped object is known from a type record; without one its kind is unknown and it goes.
        assertThat(names("complete")).containsExactlyInAnyOrder("stays", "web");

        String withTypes = fetching();
        expect200(start("complete", withTypes, d));
        receiver.page("complete", withTypes, RecordKind.TYPES, List.of(TestObjects.type("", "v1", "ConfigMap", "configmaps")));
        receiver.page("complete", withTypes, RecordKind.OBJECTS, List.of(configMap("c3", "b", "big", "x", "1"),
                configMap("c5", "b", "other", "x", "1")));
        expect204(receiver.commit("complete", withTypes, Map.of("counts", Map.of("objects", 2, "types", 1))));
        String last = delta("complete", withTypes);
        expect204(receiver.commit("complete", last, Map.of("counts", Map.of(),
                "completeTypes", List.of(CompleteType.objects("", "configmaps", "ConfigMap"),
                        CompleteType.records(RecordKind.TYPES)),
                "skipped", List.of(Skipped.object("", "v1", "configmaps", "b", "big", Skipped.Reason.TOO_LARGE, "2 MB")))));
        assertThat(names("complete")).containsExactlyInAnyOrder("big", "web");
        assertThat(receiver.getJson("/v1/clusters/complete/types").get("items")).isEmpty();
    }

    @Test
    void skippedOfADeltaIsUnchangedWhenAbsentAndReplacedWhenPresent() {
        String base = fetching();
        expect200(start("skips", base, null));
        receiver.page("skips", base, RecordKind.TYPES, List.of(TestObjects.type("", "v1", "ConfigMap", "configmaps")));
        receiver.page("skips", base, RecordKind.OBJECTS, List.of(configMap("s1", "a", "old", "x", "1")));
        Skipped forbidden = Skipped.type("", "v1", "configmaps", Skipped.Reason.FORBIDDEN, "403");
        expect204(receiver.commit("skips", base, Map.of("counts", Map.of("types", 1, "objects", 1),
                "skipped", List.of(forbidden))));

        String quiet = delta("skips", base);
        expect204(receiver.commit("skips", quiet, Map.of("counts", Map.of())));
        String leaves = delta("skips", quiet);
        expectError(receiver.commit("skips", leaves, Map.of("counts", Map.of(), "skipped", List.of())), 400, "bad_request");

        String readable = delta("skips", quiet);
        receiver.page("skips", readable, RecordKind.OBJECTS, List.of(configMap("s2", "a", "new", "x", "1")));
        expect204(receiver.commit("skips", readable, Map.of("counts", Map.of("objects", 1), "skipped", List.of(),
                "completeTypes", List.of(CompleteType.objects("", "configmaps", "ConfigMap")))));
        assertThat(names("skips")).containsExactly("new");
        assertThat(skippedOf("skips", quiet)).isEqualTo(skippedOf("skips", base)).contains("forbidden");
        assertThat(skippedOf("skips", readable)).isEqualTo("[]");
    }

    private String skippedOf(String cluster, String fetchingId) {
        return one("SELECT skipped FROM fetchings WHERE cluster_id = ? AND fetching_id = ?", cluster, fetchingId);
    }

    @Test
    void aHeartbeatBecomesCurrentWithTheSameContentAndWritesNoVersion() {
        String base = full("beat", List.of(configMap("h1", "a", "one", "x", "1")));
        long versions = rows("versions", "beat");
        String beat = delta("beat", base);
        expect204(receiver.commit("beat", beat, Map.of("counts", Map.of(), "report", Map.of("durationMs", 3,
                "redactionKeyId", "3f2a9c1e"))));
        assertThat(rows("versions", "beat")).isEqualTo(versions);
        assertThat(names("beat")).containsExactly("one");
        assertThat(names("beat", "?at=" + beat)).containsExactly("one");
        String stored = one("SELECT heartbeat FROM fetchings WHERE cluster_id = 'beat' AND fetching_id = ?", beat) + " "
                + one("SELECT report FROM fetchings WHERE cluster_id = 'beat' AND fetching_id = ?", beat);
        assertThat(stored).matches("(true|1|t) .*").contains("\"redactionKeyId\":\"3f2a9c1e\"");
        assertThat(receiver.get("/metrics").body()).containsPattern("receiver_heartbeats_total [1-9]")
                .containsPattern("receiver_deltas_total [1-9]");
        // The default since passes over the heartbeat: the last change is the base's.
        JsonNode changes = receiver.getJson("/v1/clusters/beat/changes");
        assertThat(changes.get("to").asString()).isEqualTo(beat);
        assertThat(changes.get("added").valueStream().map(r -> r.get("name").asString())).containsExactly("one");
    }

    @Test
    void aFullFetchingOfAnUnchangedClusterWritesOnlyWhatChanged() {
        List<Object> objects = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            objects.add(configMap("f" + i, "a", "cm" + i, "x", "1"));
        }
        full("steady", objects);
        long versions = rows("versions", "steady");
        long bodies = rows("bodies", "steady");
        assertThat(versions).isEqualTo(40);

        String again = full("steady", objects);
        assertThat(rows("versions", "steady")).isEqualTo(versions);
        assertThat(rows("bodies", "steady")).isEqualTo(bodies);

        List<Object> changed = new ArrayList<>(objects.subList(1, 40));
        changed.set(0, configMap("f1", "a", "cm1", "x", "2"));
        String third = full("steady", changed);
        // f1's new version, f0 and f1's old ones closed in place.
        assertThat(rows("versions", "steady")).isEqualTo(versions + 1);
        assertThat(names("steady", "?at=" + again)).hasSize(40);
        assertThat(names("steady", "?at=" + third)).hasSize(39).doesNotContain("cm0");
        JsonNode changes = receiver.getJson("/v1/clusters/steady/changes?since=" + again + "&to=" + third);
        assertThat(changes.get("changed").valueStream().map(r -> r.get("name").asString())).containsExactly("cm1");
        assertThat(changes.get("deleted").valueStream().map(r -> r.get("name").asString())).containsExactly("cm0");
    }

    @Test
    void aStatusOnlyChangeStoresTheNewBodyButIsNoChange() {
        var pod = configMap("st1", "a", "pod", "x", "1");
        String base = full("status", List.of(pod));
        var running = pod.deepCopy();
        running.putObject("status").put("phase", "Running");
        String d = delta("status", base);
        receiver.page("status", d, RecordKind.OBJECTS, List.of(running));
        expect204(receiver.commit("status", d, Map.of("counts", Map.of("objects", 1))));
        assertThat(receiver.getJson("/v1/clusters/status/objects/st1").get("status").get("phase").asString())
                .isEqualTo("Running");
        JsonNode changes = receiver.getJson("/v1/clusters/status/changes?since=" + base);
        assertThat(changes.get("changed")).isEmpty();
        assertThat(receiver.getJson("/v1/clusters/status/objects/st1?at=" + base).has("status")).isFalse();
    }

    @Test
    void snapshotsAreReadAsOfAFetchingOrATimeAndChangesBetweenAnyTwo() throws InterruptedException {
        String first = full("asof", List.of(configMap("t1", "a", "one", "x", "1")));
        Instant between = Instant.now();
        Thread.sleep(5);
        String d = delta("asof", first);
        receiver.page("asof", d, RecordKind.OBJECTS, List.of(configMap("t2", "a", "two", "x", "1")));
        expect204(receiver.commit("asof", d, Map.of("counts", Map.of("objects", 1))));

        assertThat(names("asof", "?at=" + between)).containsExactly("one");
        assertThat(names("asof", "?at=" + first)).containsExactly("one");
        assertThat(names("asof")).containsExactlyInAnyOrder("one", "two");
        assertThat(receiver.getJson("/v1/clusters/asof/kinds?at=" + first).get("items").get(0).get("count").asLong())
                .isEqualTo(1);
        expectError(receiver.get("/v1/clusters/asof/objects?at=2000-01-01T00:00:00Z"), 404, "not_found");
        expectError(receiver.get("/v1/clusters/asof/objects?at=yesterday"), 400, "bad_request");
        JsonNode sinceTime = receiver.getJson("/v1/clusters/asof/changes?sinceTime=" + between);
        assertThat(sinceTime.get("from").asString()).isEqualTo(first);
        assertThat(sinceTime.get("added").valueStream().map(r -> r.get("name").asString())).containsExactly("two");
        JsonNode none = receiver.getJson("/v1/clusters/asof/changes?since=" + first + "&to=" + first);
        assertThat(none.get("added")).isEmpty();
        expectError(receiver.get("/v1/clusters/asof/changes?since=" + d + "&to=" + first), 400, "bad_request");
    }

    @Test
    void aContinueTokenPinsItsSnapshot() {
        List<Object> objects = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            objects.add(configMap("p" + i, "a", "cm" + i, "x", "1"));
        }
        String first = full("pinned", objects);
        JsonNode page = receiver.getJson("/v1/clusters/pinned/objects?limit=2");
        String token = page.get("continue").asString();
        String d = delta("pinned", first);
        expect204(deletions("pinned", d, List.of(Deletion.object("p4", "v1", "ConfigMap", "a", "cm4"))));
        expect204(receiver.commit("pinned", d, Map.of("counts", Map.of("deletions", 1))));

        JsonNode rest = receiver.getJson("/v1/clusters/pinned/objects?limit=10&continue=" + token);
        assertThat(rest.get("items")).hasSize(3);
        assertThat(rest.get("items").get(2).get("metadata").get("name").asString()).isEqualTo("cm4");
    }

    @Test
    void anAbortedDeltaDiscardsItsPagesAndLeavesTheBaseCurrent() {
        String base = full("aborted", List.of(configMap("ab1", "a", "one", "x", "1")));
        String d = delta("aborted", base);
        receiver.page("aborted", d, RecordKind.OBJECTS, List.of(configMap("ab2", "a", "two", "x", "1")));
        expect204(deletions("aborted", d, List.of(Deletion.object("ab1", "v1", "ConfigMap", "a", "one"))));
        expect204(receiver.post(Paths.abort("aborted", d), new Abort("failed", "watch broke", Instant.now())));
        assertThat(rows("staged", "aborted") + rows("staged_deletions", "aborted")).isZero();
        expectError(receiver.commit("aborted", d, Map.of("counts", Map.of("objects", 1))), 409, "fetching_aborted");
        String next = delta("aborted", base);
        expect204(receiver.commit("aborted", next, Map.of("counts", Map.of())));
        assertThat(names("aborted")).containsExactly("one");
    }

    private static Map<String, Object> release(String name, int revision) {
        return Map.of("name", name, "namespace", "a", "revision", revision, "status", "deployed", "source", "helm",
                "storage", "secret");
    }

    private static Map<String, Object> tree(String root, String child) {
        return Map.of("uid", root, "apiVersion", "apps/v1", "kind", "Deployment", "name", root, "namespace", "a",
                "children", List.of(Map.of("uid", child, "apiVersion", "apps/v1", "kind", "ReplicaSet", "name", child,
                        "namespace", "a")));
    }
}
