package io.k8scollector.receiver;

import static io.k8scollector.receiver.TestObjects.configMap;
import static io.k8scollector.receiver.TestObjects.deployment;
import static io.k8scollector.receiver.TestReceiver.expect204;
import static io.k8scollector.receiver.TestReceiver.gzip;
import static io.k8scollector.receiver.TestReceiver.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k8scollector.protocol.Abort;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import io.k8scollector.receiver.keys.Scope;
import io.k8scollector.receiver.store.Refused;
import io.k8scollector.receiver.store.Retention;
import io.k8scollector.receiver.store.Snapshots;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole protocol and query API against a receiver on one database; a subclass per database.
 * Each test uses its own cluster id, so that tests share one receiver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReceiverContract {

    private TestReceiver receiver;

    /** A database URL for this class's receiver. */
    abstract String databaseUrl();

    /** Frees what {@link #databaseUrl()} made. */
    void dropDatabase() {}

    @BeforeAll
    void startReceiver() {
        receiver = new TestReceiver(databaseUrl(), 3);
    }

    @AfterAll
    void stopReceiver() {
        receiver.close();
        dropDatabase();
    }

    private static String fetching() {
        return FetchingId.generate(Instant.now());
    }

    private List<String> names(String cluster) {
        List<String> names = new ArrayList<>();
        receiver.getJson("/v1/clusters/" + cluster + "/objects").get("items")
                .forEach(o -> names.add(o.get("metadata").get("name").asString()));
        return names;
    }

    private static void expectError(HttpResponse<String> answer, int status, String code) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        JsonNode body = Json.MAPPER.readTree(answer.body());
        assertThat(body.get("error").asString()).isEqualTo(code);
        assertThat(body.get("message").asString()).isNotBlank();
    }

    @Test
    void aCommittedFetchingBecomesTheCurrentSnapshotWithEveryRecordKind() {
        String f = fetching();
        receiver.start("full", f, "kube-system-uid");
        receiver.page("full", f, RecordKind.OBJECTS, List.of(configMap("u1", "a", "one", "web", "1"),
                deployment("u2", "a", "web")));
        receiver.page("full", f, RecordKind.HELM_RELEASES, List.of(Map.of("name", "shop", "namespace", "a",
                "revision", 3, "status", "deployed", "source", "helm", "storage", "secret")));
        receiver.page("full", f, RecordKind.TYPES, List.of(TestObjects.type("", "v1", "ConfigMap", "configmaps")));
        receiver.page("full", f, RecordKind.TREES, List.of(Map.of("uid", "u2", "apiVersion", "apps/v1",
                "kind", "Deployment", "name", "web", "namespace", "a", "children", List.of(Map.of("uid", "u3",
                        "apiVersion", "apps/v1", "kind", "ReplicaSet", "name", "web-1", "namespace", "a")))));

        expect204(receiver.commit("full", f, Map.of("counts",
                Map.of("objects", 2, "helmReleases", 1, "types", 1, "trees", 1))));

        assertThat(names("full")).containsExactlyInAnyOrder("one", "web");
        JsonNode cluster = receiver.getJson("/v1/clusters").get("items").valueStream()
                .filter(c -> c.get("id").asString().equals("full")).findFirst().orElseThrow();
        assertThat(cluster.get("currentFetchingId").asString()).isEqualTo(f);
        assertThat(cluster.get("clusterUniqueId").asString()).isEqualTo("kube-system-uid");
        assertThat(cluster.get("objectCount").asLong()).isEqualTo(2);
        assertThat(receiver.getJson("/v1/clusters/full/helm-releases").get("items").get(0).get("name").asString())
                .isEqualTo("shop");
        assertThat(receiver.getJson("/v1/clusters/full/types").get("items").get(0).get("resource").asString())
                .isEqualTo("configmaps");
        assertThat(receiver.getJson("/v1/clusters/full/trees/u2").get("children").get(0).get("uid").asString())
                .isEqualTo("u3");
        assertThat(receiver.getJson("/v1/clusters/full/trees/u3").get("name").asString()).isEqualTo("web-1");
        assertThat(receiver.getJson("/v1/clusters/full/objects/u1").get("data").get("key").asString()).isEqualTo("1");
        assertThat(receiver.get("/v1/clusters/full/objects/u1?format=yaml").body()).contains("kind: ConfigMap");
        expectError(receiver.get("/v1/clusters/full/objects/nope"), 404, "not_found");

        expect204(receiver.commit("full", f, Map.of("counts", Map.of("objects", 2))));
    }

    @Test
    void anObjectReadsBackByteForByteAsSentEvenPastOnePageOfTheDatabase() {
        String f = fetching();
        receiver.start("bytes", f, "u");
        String spaced = "{ \"apiVersion\": \"v1\",\n  \"kind\": \"ConfigMap\", \"metadata\": {\"uid\": \"b1\","
                + " \"name\": \"caf\\u00e9 \u00e9t\u00e9\", \"resourceVersion\": \"1\"},\t\"data\": {\"n\": 1.50e2} }";
        String large = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"uid\":\"b2\",\"name\":\"large\"},"
                + "\"data\":{\"key\":\"" + "0123456789abcdef".repeat(20_000) + "\"}}";

        expect204(receiver.postRaw(Paths.records("bytes", f, RecordKind.OBJECTS),
                gzip(utf8("{\"objects\":[" + spaced + " , " + large + "]}")), Map.of("Content-Encoding", "gzip")));
        expect204(receiver.commit("bytes", f, Map.of("counts", Map.of("objects", 2))));

        assertThat(receiver.get("/v1/clusters/bytes/objects/b1").body()).isEqualTo(spaced);
        assertThat(receiver.get("/v1/clusters/bytes/objects/b2").body()).isEqualTo(large);
    }

    @Test
    void aRetriedPageIsStoredOnceAndTheCommitCountsDistinctRecords() {
        String f = fetching();
        receiver.start("retry", f, "u");
        List<ObjectNode> page = List.of(configMap("r1", "a", "one", "x", "1"), configMap("r2", "a", "two", "x", "2"));
        receiver.page("retry", f, RecordKind.OBJECTS, page);
        receiver.page("retry", f, RecordKind.OBJECTS, page);

        HttpResponse<String> tooMany = receiver.commit("retry", f, Map.of("counts", Map.of("objects", 3, "types", 2)));

        expectError(tooMany, 409, "incomplete");
        assertThat(Json.MAPPER.readTree(tooMany.body()).get("shortfall").toString())
                .isEqualTo("{\"objects\":1,\"types\":2}");
        expect204(receiver.commit("retry", f, Map.of("counts", Map.of("objects", 2))));
        assertThat(names("retry")).hasSize(2);
    }

    @Test
    void aPageSentAgainWithAChangedObjectReplacesItAndStoresTheNewOnes() {
        String f = fetching();
        receiver.start("resend", f, "u");
        receiver.page("resend", f, RecordKind.OBJECTS,
                List.of(configMap("s1", "a", "one", "x", "1"), configMap("s2", "a", "two", "x", "2")));
        // On PostgreSQL the first page goes in with COPY; this one collides with it and is written with upserts.
        receiver.page("resend", f, RecordKind.OBJECTS,
                List.of(configMap("s1", "a", "one", "x", "changed"), configMap("s3", "a", "three", "x", "3")));

        expect204(receiver.commit("resend", f, Map.of("counts", Map.of("objects", 3))));
        assertThat(names("resend")).containsExactly("one", "two", "three");
        assertThat(receiver.getJson("/v1/clusters/resend/objects/s1").get("data").get("key").asString())
                .isEqualTo("changed");
    }

    @Test
    void anUnchangedObjectsBodyIsStoredOnceAcrossSnapshots() {
        List<ObjectNode> objects = List.of(configMap("k1", "a", "kept", "x", "same"), configMap("k2", "a", "also", "x", "same"));
        receiver.snapshot("steady", fetching(), objects, List.of());
        long before = bodies();

        receiver.snapshot("steady", fetching(), objects, List.of());

        assertThat(bodies()).isEqualTo(before);
        assertThat(names("steady")).containsExactlyInAnyOrder("kept", "also");
    }

    private long bodies() {
        return receiver.db.read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM bodies")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void objectsWithoutUidAreKeyedByTheirNames() {
        ObjectNode noUid = configMap("x", "a", "same", "x", "1");
        ((ObjectNode) noUid.get("metadata")).remove("uid");
        String f = fetching();
        receiver.start("nouid", f, "u");
        receiver.page("nouid", f, RecordKind.OBJECTS, List.of(noUid, noUid.deepCopy().put("kind", "Other")));
        receiver.page("nouid", f, RecordKind.OBJECTS, List.of(noUid));

        expectError(receiver.commit("nouid", f, Map.of("counts", Map.of("objects", 3))), 409, "incomplete");
        expect204(receiver.commit("nouid", f, Map.of("counts", Map.of("objects", 2))));
    }

    @Test
    void aClusterIdBoundToAnotherClusterIsRefusedUnlessOverridden() {
        receiver.start("bound", fetching(), "first");
        String f = fetching();
        Map<String, Object> start = new java.util.HashMap<>(Map.of("fetchingId", f, "clusterUniqueId", "second"));

        expectError(receiver.post(Paths.fetchings("bound"), start), 409, "cluster_conflict");

        start.put("overrideUniqueClusterId", true);
        expect204(receiver.post(Paths.fetchings("bound"), start));
        expect204(receiver.post(Paths.fetchings("bound"), start));
        expect204(receiver.commit("bound", f, Map.of()));
        assertThat(receiver.getJson("/v1/clusters").toString()).contains("\"clusterUniqueId\":\"second\"");
    }

    @Test
    void aPageForACommittedOrUnknownFetchingIsRefused() {
        String f = fetching();
        receiver.snapshot("closed", f, List.of(configMap("c1", "a", "one", "x", "1")), List.of());

        expectError(receiver.post(Paths.records("closed", f, RecordKind.OBJECTS),
                Map.of("objects", List.of(configMap("c2", "a", "two", "x", "2")))), 409, "fetching_committed");
        expectError(receiver.post(Paths.records("closed", fetching(), RecordKind.OBJECTS),
                Map.of("objects", List.of())), 404, "not_found");
        expectError(receiver.commit("closed", fetching(), Map.of()), 404, "not_found");
        assertThat(names("closed")).containsExactly("one");
    }

    @Test
    void aFetchingStartedBeforeTheCurrentSnapshotIsStale() {
        String older = FetchingId.generate(Instant.now().minusSeconds(60));
        String newer = fetching();
        expect204(receiver.post(Paths.fetchings("stale"), Map.of("fetchingId", older, "clusterUniqueId", "uid-stale",
                "startedAt", Instant.now().minusSeconds(60).toString())));
        receiver.snapshot("stale", newer, List.of(configMap("s1", "a", "new", "x", "1")), List.of());

        expectError(receiver.commit("stale", older, Map.of()), 409, "stale");
        assertThat(names("stale")).containsExactly("new");
    }

    @Test
    void badIdentifiersAndBodiesAreBadRequests() {
        expectError(receiver.post(Paths.fetchings("UPPER"), Map.of()), 400, "bad_request");
        expectError(receiver.post(Paths.fetchings("ok"), Map.of("fetchingId", "xyz", "clusterUniqueId", "u")),
                400, "bad_request");
        String f = fetching();
        receiver.start("shapes", f, "u");
        expectError(receiver.post(Paths.records("shapes", f, RecordKind.OBJECTS),
                Map.of("objects", List.of(Map.of("kind", "Pod")))), 400, "bad_request");
        expectError(receiver.post(Paths.records("shapes", f, RecordKind.OBJECTS), Map.of("items", List.of())),
                400, "bad_request");
        expectError(receiver.get("/v1/clusters/shapes/objects?limit=5001"), 400, "bad_request");
        expectError(receiver.get("/v1/clusters/shapes/objects?labelSelector=oops"), 400, "bad_request");
        expectError(receiver.get("/v1/nothing/here"), 404, "not_found");
        expectError(receiver.get("/v1/clusters/unknown-cluster/objects"), 404, "not_found");
    }

    @Test
    void hostileRequestsGetTheir4xxAndLeaveTheCommittedSnapshotAlone() {
        String committed = fetching();
        receiver.snapshot("hostile", committed, List.of(configMap("h1", "a", "kept", "x", "1")), List.of());
        String f = fetching();
        receiver.start("hostile", f, "uid-hostile");
        String objects = Paths.records("hostile", f, RecordKind.OBJECTS);

        expectError(receiver.postRaw(objects, gzipBomb(10 << 20), Map.of("Content-Encoding", "gzip")), 413, "too_large");
        expectError(receiver.postRaw(objects, utf8("{\"objects\": [{\"apiVersion\": "),
                Map.of("Content-Type", "application/json")), 400, "bad_request");
        expectError(receiver.postRaw(objects, utf8("{\"objects\":[" + "[".repeat(100_000) + "]".repeat(100_000) + "]}"),
                Map.of()), 400, "bad_request");
        expectError(receiver.postRaw(objects, utf8("{\"objects\":[]}"), Map.of("Content-Encoding", "br")),
                415, "unsupported_encoding");
        expectError(receiver.postRaw(objects, utf8("not gzip"), Map.of("Content-Encoding", "gzip")), 400, "bad_request");
        expectError(receiver.post(objects, Map.of("objects", List.of()), "no-such-token"), 401, "unauthorized");
        expectError(receiver.send(java.net.http.HttpRequest.newBuilder(receiver.uri(objects))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build()), 401, "unauthorized");
        expectError(receiver.post(objects, Map.of("objects", List.of()), receiver.token(List.of("elsewhere"), Scope.INGEST)),
                403, "forbidden");
        expectError(receiver.commit("hostile", f, Map.of("counts", Map.of("objects", 5))), 409, "incomplete");

        assertThat(names("hostile")).containsExactly("kept");
        assertThat(receiver.getJson("/v1/clusters").toString()).contains(committed);
    }

    /**
     * About {@code compressed} bytes of gzip that inflate to a valid start of JSON followed by
     * endless whitespace (a gibibyte per thousand members): concatenated gzip members, each one
     * mebibyte of spaces, so that it is cheap to build.
     */
    private static byte[] gzipBomb(int compressed) {
        byte[] spaces = gzip(" ".repeat(1 << 20).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        ByteArrayOutputStream out = new ByteArrayOutputStream(compressed + spaces.length);
        out.writeBytes(gzip(utf8("{\"objects\": [")));
        while (out.size() < compressed) {
            out.writeBytes(spaces);
        }
        return out.toByteArray();
    }

    @Test
    void skippedTypesGroupsAndObjectsCarryOverInsteadOfBeingDeleted() {
        String first = fetching();
        receiver.start("carry", first, "uid-carry");
        receiver.page("carry", first, RecordKind.TYPES, List.of(TestObjects.type("", "v1", "ConfigMap", "configmaps")));
        receiver.page("carry", first, RecordKind.OBJECTS, List.of(configMap("k1", "a", "cm", "x", "1"),
                deployment("k2", "a", "web"), configMap("k3", "b", "big", "x", "3"), configMap("k4", "b", "gone", "x", "4")));
        expect204(receiver.commit("carry", first, Map.of("counts", Map.of("objects", 4, "types", 1))));

        String second = fetching();
        receiver.start("carry", second, "uid-carry");
        receiver.page("carry", second, RecordKind.TYPES, List.of(TestObjects.type("", "v1", "ConfigMap", "configmaps")));
        receiver.page("carry", second, RecordKind.OBJECTS, List.of(configMap("k5", "c", "fresh", "x", "5")));
        List<Skipped> skipped = List.of(
                Skipped.group("apps", "v1", Skipped.Reason.DISCOVERY_FAILED, "503"),
                Skipped.object("", "v1", "configmaps", "b", "big", Skipped.Reason.TOO_LARGE, "2 MB"));
        expect204(receiver.commit("carry", second, Map.of("counts", Map.of("objects", 1, "types", 1), "skipped", skipped)));

        assertThat(names("carry")).containsExactlyInAnyOrder("web", "big", "fresh");
        JsonNode changes = receiver.getJson("/v1/clusters/carry/changes");
        assertThat(changes.get("from").asString()).isEqualTo(first);
        assertThat(changes.get("to").asString()).isEqualTo(second);
        assertThat(changes.get("deleted").valueStream().map(r -> r.get("name").asString()))
                .containsExactlyInAnyOrder("cm", "gone");
        assertThat(changes.get("added").valueStream().map(r -> r.get("uid").asString())).containsExactly("k5");

        String third = fetching();
        receiver.start("carry", third, "uid-carry");
        receiver.page("carry", third, RecordKind.TYPES, List.of(TestObjects.type("", "v1", "ConfigMap", "configmaps")));
        expect204(receiver.commit("carry", third, Map.of("counts", Map.of("types", 1), "skipped",
                List.of(Skipped.type("", "v1", "configmaps", Skipped.Reason.FORBIDDEN, "403")))));
        assertThat(names("carry")).containsExactlyInAnyOrder("big", "fresh");
    }

    @Test
    void unreadableHelmStorageCarriesTheReleasesOfThatSourceAndStorageOver() {
        String first = fetching();
        receiver.start("helm-carry", first, "uid-helm-carry");
        receiver.page("helm-carry", first, RecordKind.HELM_RELEASES, List.of(
                release("in-secret", "helm", "secret"), release("in-configmap", "helm", "configmap"),
                release("by-argo", "argocd", "argocd")));
        expect204(receiver.commit("helm-carry", first, Map.of("counts", Map.of("helmReleases", 3))));

        String second = fetching();
        receiver.start("helm-carry", second, "uid-helm-carry");
        expect204(receiver.commit("helm-carry", second, Map.of("skipped", List.of(
                Skipped.helmStorage("helm", "secret", Skipped.Reason.FAILED, "HTTP 500"),
                Skipped.helmStorage("argocd", null, Skipped.Reason.FORBIDDEN, "HTTP 403"),
                Skipped.record("helmRelease", "a/undecodable", Skipped.Reason.UNPARSEABLE, "not gzip")))));

        assertThat(receiver.getJson("/v1/clusters/helm-carry/helm-releases").get("items").valueStream()
                .map(r -> r.get("name").asString())).containsExactlyInAnyOrder("in-secret", "by-argo");
    }

    @Test
    void aCommitWithAReportAndFieldsItDoesNotKnowIsAccepted() {
        String f = fetching();
        receiver.start("report", f, "uid-report");
        receiver.page("report", f, RecordKind.OBJECTS, List.of(configMap("r1", "a", "one", "web", "1")));

        expect204(receiver.commit("report", f, Map.of("counts", Map.of("objects", 1),
                "report", Map.of("redactionKeyId", "3f2a9c1e", "durationMs", 5400, "treesCut", 1),
                "aFieldOfALaterVersion", List.of(1, 2))));

        assertThat(names("report")).containsExactly("one");
    }

    private static Map<String, Object> release(String name, String source, String storage) {
        return Map.of("name", name, "namespace", "a", "revision", 1, "status", "deployed", "source", source,
                "storage", storage);
    }

    @Test
    void changesComparesContentWithoutResourceVersionManagedFieldsOrStatus() {
        ObjectNode same = configMap("c1", "a", "same", "x", "1");
        ObjectNode edited = configMap("c2", "a", "edited", "x", "1");
        ObjectNode removed = configMap("c3", "a", "removed", "x", "1");
        String first = fetching();
        receiver.snapshot("changes", first, List.of(same, edited, removed), List.of());

        ObjectNode sameAgain = same.deepCopy();
        ((ObjectNode) sameAgain.get("metadata")).put("resourceVersion", "99").putArray("managedFields").addObject();
        sameAgain.putObject("status").put("phase", "whatever");
        ObjectNode editedAgain = edited.deepCopy();
        ((ObjectNode) editedAgain.get("data")).put("key", "2");
        String second = fetching();
        receiver.snapshot("changes", second, List.of(sameAgain, editedAgain, configMap("c4", "a", "new", "x", "1")),
                List.of());

        JsonNode changes = receiver.getJson("/v1/clusters/changes/changes?since=" + first);
        assertThat(changes.get("changed").valueStream().map(r -> r.get("name").asString())).containsExactly("edited");
        assertThat(changes.get("added").valueStream().map(r -> r.get("name").asString())).containsExactly("new");
        assertThat(changes.get("deleted").valueStream().map(r -> r.get("name").asString())).containsExactly("removed");
        JsonNode ref = changes.get("changed").get(0);
        assertThat(ref.get("uid").asString()).isEqualTo("c2");
        assertThat(ref.get("apiVersion").asString()).isEqualTo("v1");
        assertThat(ref.get("kind").asString()).isEqualTo("ConfigMap");
        assertThat(ref.get("namespace").asString()).isEqualTo("a");
        expectError(receiver.get("/v1/clusters/changes/changes?since=" + fetching()), 404, "not_found");
    }

    @Test
    void onlyTheRetainedNumberOfSnapshotsIsKept() {
        List<String> fetchings = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String f = fetching();
            fetchings.add(f);
            receiver.snapshot("retain", f, List.of(configMap("r" + i, "a", "n" + i, "x", "v" + i)), List.of());
        }
        assertThat(names("retain")).containsExactly("n4");
        assertThat(receiver.get("/v1/clusters/retain/changes?since=" + fetchings.get(2)).statusCode()).isEqualTo(200);
        expectError(receiver.get("/v1/clusters/retain/changes?since=" + fetchings.get(1)), 404, "not_found");
    }

    @Test
    void anUncommittedFetchingIsInvisibleAndDiscardedWhenIdle() {
        String committed = fetching();
        receiver.snapshot("idle", committed, List.of(configMap("i1", "a", "committed", "x", "1")), List.of());
        String open = fetching();
        receiver.start("idle", open, "uid-idle");
        receiver.page("idle", open, RecordKind.OBJECTS, List.of(configMap("i2", "a", "pending", "x", "1")));

        assertThat(names("idle")).containsExactly("committed");
        assertThat(new Snapshots(receiver.db, new Retention(3, Duration.ZERO), Duration.ofHours(24), 4).discardIdle(Instant.now().plusSeconds(1))).isPositive();
        expectError(receiver.commit("idle", open, Map.of()), 404, "not_found");
        assertThat(names("idle")).containsExactly("committed");
    }

    @Test
    void objectListsAreFilteredAndPaged() {
        List<ObjectNode> objects = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            objects.add(configMap(String.format("p%02d", i), i % 2 == 0 ? "even" : "odd", "cm" + i, i % 3 == 0 ? "a" : "b", "x"));
        }
        objects.add(deployment("pdeploy", "even", "web"));
        receiver.snapshot("paging", fetching(), objects, List.of());

        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = receiver.getJson("/v1/clusters/paging/objects?limit=10"
                    + (next == null ? "" : "&continue=" + next));
            page.get("items").forEach(o -> seen.add(o.get("metadata").get("uid").asString()));
            next = page.get("continue").isNull() ? null : page.get("continue").asString();
            pages++;
        } while (next != null);
        assertThat(seen).hasSize(26).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(3);

        assertThat(receiver.getJson("/v1/clusters/paging/objects?namespace=even&kind=ConfigMap").get("items")).hasSize(13);
        assertThat(receiver.getJson("/v1/clusters/paging/objects?group=apps").get("items")).hasSize(1);
        assertThat(receiver.getJson("/v1/clusters/paging/objects?version=v1&kind=Deployment").get("items")).hasSize(1);
        assertThat(receiver.getJson("/v1/clusters/paging/objects?name=cm7").get("items")).hasSize(1);
        assertThat(receiver.getJson("/v1/clusters/paging/objects?labelSelector=app%3Da").get("items")).hasSize(9);
        assertThat(receiver.getJson("/v1/clusters/paging/objects?labelSelector=app!%3Da&namespace=odd&limit=2")
                .get("items")).hasSize(2);
        assertThat(receiver.getJson("/v1/clusters/paging/objects?labelSelector=app!%3Da,app!%3Db").get("items"))
                .hasSize(1);
    }

    @Test
    void aKeyOnlySeesTheClustersItIsLimitedTo() {
        receiver.snapshot("visible", fetching(), List.of(configMap("v1", "a", "one", "x", "1")), List.of());
        String limited = receiver.token(List.of("visible"), Scope.READ);

        HttpResponse<String> clusters = receiver.send(java.net.http.HttpRequest.newBuilder(receiver.uri("/v1/clusters"))
                .header("Authorization", "Bearer " + limited).build());
        assertThat(Json.MAPPER.readTree(clusters.body()).get("items").valueStream().map(c -> c.get("id").asString()))
                .containsExactly("visible");
        HttpResponse<String> other = receiver.send(java.net.http.HttpRequest.newBuilder(
                receiver.uri("/v1/clusters/full/objects")).header("Authorization", "Bearer " + limited).build());
        expectError(other, 403, "forbidden");
    }

    @Test
    void anIngestKeyOnlySendsAndAReadKeyOnlyReads() {
        receiver.snapshot("scoped", fetching(), List.of(configMap("sc1", "a", "one", "x", "1")), List.of());
        String ingest = receiver.token(List.of("scoped"), Scope.INGEST);
        String read = receiver.token(List.of("scoped"), Scope.READ);

        for (String path : List.of("/v1/clusters", "/v1/clusters/scoped/objects", "/v1/clusters/scoped/objects/sc1",
                "/v1/clusters/scoped/helm-releases", "/v1/clusters/scoped/types", "/v1/clusters/scoped/trees/sc1",
                "/v1/clusters/scoped/changes", "/v1/clusters/scoped/kinds")) {
            expectError(receiver.send(java.net.http.HttpRequest.newBuilder(receiver.uri(path))
                    .header("Authorization", "Bearer " + ingest).build()), 403, "forbidden");
        }
        String f = fetching();
        Map<String, Object> start = Map.of("fetchingId", f, "clusterUniqueId", "uid-scoped");
        expectError(receiver.post(Paths.fetchings("scoped"), start, read), 403, "forbidden");
        expect204(receiver.post(Paths.fetchings("scoped"), start, ingest));
        expectError(receiver.post(Paths.records("scoped", f, RecordKind.OBJECTS),
                Map.of("objects", List.of(configMap("sc2", "a", "two", "x", "2"))), read), 403, "forbidden");
        expect204(receiver.post(Paths.records("scoped", f, RecordKind.OBJECTS),
                Map.of("objects", List.of(configMap("sc2", "a", "two", "x", "2"))), ingest));
        expectError(receiver.post(Paths.commit("scoped", f), Map.of("counts", Map.of("objects", 1)), read), 403, "forbidden");
        expect204(receiver.post(Paths.commit("scoped", f), Map.of("counts", Map.of("objects", 1)), ingest));

        HttpResponse<String> objects = receiver.send(java.net.http.HttpRequest.newBuilder(
                receiver.uri("/v1/clusters/scoped/objects")).header("Authorization", "Bearer " + read).build());
        assertThat(objects.statusCode()).isEqualTo(200);
        assertThat(objects.body()).contains("\"two\"").doesNotContain("\"one\"");
    }

    @Test
    void aStartTimeInTheFutureDoesNotLockTheClusterOut() {
        String future = fetching();
        expect204(receiver.post(Paths.fetchings("future"), Map.of("fetchingId", future, "clusterUniqueId", "uid-future",
                "startedAt", "2099-01-01T00:00:00Z")));
        expect204(receiver.commit("future", future, Map.of()));

        String next = fetching();
        expect204(receiver.post(Paths.fetchings("future"), Map.of("fetchingId", next, "clusterUniqueId", "uid-future",
                "startedAt", Instant.now().toString())));
        receiver.page("future", next, RecordKind.OBJECTS, List.of(configMap("fu1", "a", "after", "x", "1")));
        expect204(receiver.commit("future", next, Map.of("counts", Map.of("objects", 1))));

        // Started later by the server's clock, with a start time long ago: still not stale.
        String past = fetching();
        expect204(receiver.post(Paths.fetchings("future"), Map.of("fetchingId", past, "clusterUniqueId", "uid-future",
                "startedAt", "2000-01-01T00:00:00Z")));
        expect204(receiver.commit("future", past, Map.of()));
        assertThat(receiver.getJson("/v1/clusters").toString()).contains(past);
    }

    @Test
    void aCommitAfterTheBindingMovedIsAConflictForGood() {
        String first = fetching();
        receiver.start("moved", first, "uid-old");
        expect204(receiver.post(Paths.fetchings("moved"), Map.of("fetchingId", fetching(), "clusterUniqueId", "uid-new",
                "overrideUniqueClusterId", true)));

        expectError(receiver.commit("moved", first, Map.of()), 409, "cluster_conflict");
        expectError(receiver.post(Paths.records("moved", first, RecordKind.OBJECTS), Map.of("objects", List.of())),
                409, "cluster_conflict");
        expectError(receiver.commit("moved", first, Map.of()), 409, "cluster_conflict");
    }

    @Test
    void aFifthOpenFetchingOfAClusterIsRefusedUntilOneCloses() {
        List<String> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            open.add(fetching());
            receiver.start("crowded", open.get(i), "uid-crowded");
        }
        receiver.start("crowded", open.get(0), "uid-crowded");
        String fifth = fetching();
        Map<String, Object> start = Map.of("fetchingId", fifth, "clusterUniqueId", "uid-crowded");

        HttpResponse<String> refused = receiver.post(Paths.fetchings("crowded"), start);
        expectError(refused, 429, "too_many_requests");
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());

        // A committed fetching no longer counts, nor one refused for good (stale, or a malformed commit).
        expect204(receiver.commit("crowded", open.get(3), Map.of()));
        expectError(receiver.commit("crowded", open.get(0), Map.of()), 409, "stale");
        expect204(receiver.post(Paths.fetchings("crowded"), start));
        String sixth = fetching();
        receiver.start("crowded", sixth, "uid-crowded");
        expectError(receiver.post(Paths.fetchings("crowded"), Map.of("fetchingId", fetching(), "clusterUniqueId",
                "uid-crowded")), 429, "too_many_requests");
        expectError(receiver.commit("crowded", sixth, Map.of("counts", "not an object")), 400, "bad_request");
        expectError(receiver.post(Paths.records("crowded", sixth, RecordKind.OBJECTS), Map.of("objects", List.of())),
                400, "bad_request");
        receiver.start("crowded", fetching(), "uid-crowded");
    }

    private HttpResponse<String> abort(String cluster, String fetchingId, String reason, String token) {
        return receiver.post(Paths.abort(cluster, fetchingId), Map.of("reason", reason,
                "message", "the API server kept answering 503", "finishedAt", Instant.now().toString()), token);
    }

    /** The cluster's {@code lastAbort} in the cluster listing (a null node: none). */
    private JsonNode listedAbort(String cluster) {
        for (JsonNode item : receiver.getJson("/v1/clusters").get("items")) {
            if (item.get("id").asString().equals(cluster)) {
                return item.path("lastAbort");
            }
        }
        throw new AssertionError("no cluster " + cluster + " in the listing");
    }

    /** The cluster's last abort: fetchingId, reason, message (nulls: none). */
    private List<String> lastAbort(String cluster) {
        JsonNode abort = listedAbort(cluster);
        return abort.isMissingNode() || abort.isNull() ? java.util.Arrays.asList(null, null, null) : List.of(
                abort.get("fetchingId").asString(), abort.get("reason").asString(), abort.get("message").asString());
    }

    @Test
    void anAbortedFetchingNeverBecomesCurrentDropsItsPagesAndIsRefusedForGood() {
        String committed = fetching();
        receiver.snapshot("aborted", committed, List.of(configMap("ab1", "a", "committed", "x", "1")), List.of());
        long bodiesBefore = bodies();
        String failed = fetching();
        receiver.start("aborted", failed, "uid-aborted");
        receiver.page("aborted", failed, RecordKind.OBJECTS, List.of(configMap("ab2", "a", "pending", "x", "2")));
        assertThat(bodies()).isEqualTo(bodiesBefore + 1);

        expect204(abort("aborted", failed, Abort.API_UNREACHABLE, receiver.token));
        expect204(abort("aborted", failed, Abort.API_UNREACHABLE, receiver.token));

        assertThat(bodies()).as("the aborted fetching's own bodies").isEqualTo(bodiesBefore);
        assertThat(names("aborted")).containsExactly("committed");
        expectError(receiver.post(Paths.records("aborted", failed, RecordKind.OBJECTS),
                Map.of("objects", List.of(configMap("ab3", "a", "late", "x", "3")))), 409, "fetching_aborted");
        expectError(receiver.commit("aborted", failed, Map.of("counts", Map.of("objects", 1))), 409, "fetching_aborted");
        expectError(receiver.post(Paths.fetchings("aborted"), Map.of("fetchingId", failed, "clusterUniqueId",
                "uid-aborted")), 409, "fetching_aborted");
        // The sweep keeps an aborted fetching's row, so that its id stays refused.
        new Snapshots(receiver.db, new Retention(3, Duration.ZERO), Duration.ofMinutes(15), 4).discardIdle(Instant.now().plusSeconds(1));
        expectError(receiver.commit("aborted", failed, Map.of()), 409, "fetching_aborted");
        assertThat(lastAbort("aborted")).containsExactly(failed, "api-unreachable", "the API server kept answering 503");
        JsonNode listed = listedAbort("aborted");
        assertThat(Instant.parse(listed.get("at").asString()))
                .isAfterOrEqualTo(Instant.parse(listed.get("finishedAt").asString()).minusSeconds(60));
        assertThat(names("aborted")).containsExactly("committed");
    }

    @Test
    void anAbortNamingTheLastCommittedFetchingRecordsTheFailureAndKeepsTheSnapshot() {
        String committed = fetching();
        receiver.snapshot("failing", committed, List.of(configMap("fa1", "a", "kept", "x", "1")), List.of());

        expect204(abort("failing", committed, "out-of-cheese", receiver.token));

        assertThat(lastAbort("failing")).as("an unknown reason is stored as failed")
                .containsExactly(committed, "failed", "the API server kept answering 503");
        assertThat(names("failing")).containsExactly("kept");
        expect204(receiver.commit("failing", committed, Map.of("counts", Map.of("objects", 1))));
    }

    @Test
    void anAbortNeedsTheIngestScopeAndAKnownFetching() {
        String committed = fetching();
        receiver.snapshot("abortscope", committed, List.of(configMap("as1", "a", "one", "x", "1")), List.of());
        String read = receiver.token(List.of("abortscope"), Scope.READ);
        String ingest = receiver.token(List.of("abortscope"), Scope.INGEST);

        expectError(abort("abortscope", committed, Abort.FAILED, read), 403, "forbidden");
        expectError(abort("abortscope", fetching(), Abort.FAILED, ingest), 404, "not_found");
        expectError(abort("nosuchcluster", fetching(), Abort.FAILED, ingest), 403, "forbidden");
        expectError(abort("nosuchcluster", fetching(), Abort.FAILED, receiver.token), 404, "not_found");
        expectError(receiver.post(Paths.abort("abortscope", committed), Map.of("reason", List.of("not", "a", "string")),
                ingest), 400, "bad_request");
        assertThat(lastAbort("abortscope")).containsOnlyNulls();
        expect204(abort("abortscope", committed, Abort.CREDENTIALS, ingest));
        assertThat(lastAbort("abortscope").get(1)).isEqualTo("credentials");
    }

    @Test
    void anAbortedFetchingNoLongerCountsAsOpen() {
        List<String> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            open.add(fetching());
            receiver.start("abortquota", open.get(i), "uid-abortquota");
        }
        Map<String, Object> fifth = Map.of("fetchingId", fetching(), "clusterUniqueId", "uid-abortquota");
        expectError(receiver.post(Paths.fetchings("abortquota"), fifth), 429, "too_many_requests");

        expect204(abort("abortquota", open.get(1), Abort.ENDPOINT_ERROR, receiver.token));

        expect204(receiver.post(Paths.fetchings("abortquota"), fifth));
    }

    @Test
    void aFetchingSilentPastTheOpenWindowNoLongerCountsWhileOneSendingPagesDoes() {
        Snapshots store = new Snapshots(receiver.db, new Retention(3, Duration.ZERO), Duration.ofMinutes(15), 4);
        Instant then = Instant.now().minus(Duration.ofMinutes(20));
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            old.add(fetching());
            store.start("silent", new FetchingStart(old.get(i), "uid-silent", false, null, null), then);
        }
        assertThatThrownBy(() -> store.start("silent", new FetchingStart(fetching(), "uid-silent", false, null, null),
                then.plus(Duration.ofMinutes(14))))
                .isInstanceOfSatisfying(Refused.class, e -> assertThat(e.reason()).isEqualTo(Refused.Reason.TOO_MANY_OPEN));

        // One of the four sends a page now; the other three have been silent for 20 minutes.
        String sending = old.get(0);
        receiver.page("silent", sending, RecordKind.OBJECTS, List.of(configMap("si1", "a", "one", "x", "1")));
        for (int i = 0; i < 3; i++) {
            receiver.start("silent", fetching(), "uid-silent");
        }
        expectError(receiver.post(Paths.fetchings("silent"), Map.of("fetchingId", fetching(), "clusterUniqueId",
                "uid-silent")), 429, "too_many_requests");

        // A commit short of records leaves the fetching open: the missing page may still come.
        expectError(receiver.commit("silent", sending, Map.of("counts", Map.of("objects", 2))), 409, "incomplete");
        receiver.page("silent", sending, RecordKind.OBJECTS, List.of(configMap("si2", "a", "two", "x", "2")));
        expect204(receiver.commit("silent", sending, Map.of("counts", Map.of("objects", 2))));
        assertThat(names("silent")).containsExactlyInAnyOrder("one", "two");
    }

    @Test
    void valuesDigestsOfBothFormsAreStoredAsSentAndComparedForEquality() {
        String first = fetching();
        receiver.start("digests", first, "uid-digests");
        receiver.page("digests", first, RecordKind.HELM_RELEASES, List.of(
                release("keyed", "hmac-sha256:" + "ab".repeat(32)), release("plain", "sha256:" + "cd".repeat(32))));
        expect204(receiver.commit("digests", first, Map.of("counts", Map.of("helmReleases", 2))));

        JsonNode releases = receiver.getJson("/v1/clusters/digests/helm-releases").get("items");
        assertThat(releases.valueStream().map(r -> r.get("valuesDigest").asString()))
                .containsExactlyInAnyOrder("hmac-sha256:" + "ab".repeat(32), "sha256:" + "cd".repeat(32));

        // The same release sent again with the same digest is stored once; a new digest is a new body.
        long before = bodies();
        String second = fetching();
        receiver.start("digests", second, "uid-digests");
        receiver.page("digests", second, RecordKind.HELM_RELEASES, List.of(
                release("keyed", "hmac-sha256:" + "ab".repeat(32)), release("plain", "hmac-sha256:" + "cd".repeat(32))));
        expect204(receiver.commit("digests", second, Map.of("counts", Map.of("helmReleases", 2))));
        assertThat(bodies()).isEqualTo(before + 1);
    }

    private static Map<String, Object> release(String name, String digest) {
        return Map.of("name", name, "namespace", "a", "revision", 1, "status", "deployed", "source", "helm",
                "storage", "secret", "valuesDigest", digest);
    }

    @Test
    void signingOutRevokesTheToken() {
        String token = receiver.token(List.of(), Scope.READ);
        assertThat(receiver.send(java.net.http.HttpRequest.newBuilder(receiver.uri("/v1/clusters"))
                .header("Authorization", "Bearer " + token).build()).statusCode()).isEqualTo(200);

        expect204(receiver.post("/account/access_keys/logout", Map.of(), token));

        expectError(receiver.send(java.net.http.HttpRequest.newBuilder(receiver.uri("/v1/clusters"))
                .header("Authorization", "Bearer " + token).build()), 401, "unauthorized");
        expectError(receiver.post("/account/access_keys/logout", Map.of(), token), 401, "unauthorized");
    }

    @Test
    void aLoginBodyOver4KiBIsRefusedWith413ThatTheClientReads() {
        String padded = "{\"accessKey\": \"AK\", \"secretKey\": \"" + "x".repeat(64 << 10) + "\"}";
        expectError(receiver.postRaw(Paths.LOGIN, utf8(padded), Map.of("Content-Type", "application/json")),
                413, "too_large");
        expectError(receiver.postRaw(Paths.LOGIN, gzip(utf8(padded)), Map.of("Content-Encoding", "gzip")),
                413, "too_large");
        // Streamed without a length: refused once 4 KiB are read, the rest read away.
        expectError(receiver.send(java.net.http.HttpRequest.newBuilder(receiver.uri(Paths.LOGIN))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(utf8(padded)))).build()), 413, "too_large");
    }

    @Test
    void healthAndReadinessAreServed() {
        assertThat(receiver.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(receiver.get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void healthAndMetricsAreServed() {
        assertThat(receiver.get("/healthz").statusCode()).isEqualTo(200);
        receiver.snapshot("metrics", fetching(), List.of(configMap("m1", "a", "one", "x", "1")), List.of());
        String metrics = receiver.get("/metrics").body();
        assertThat(metrics).contains("receiver_requests_total{status=\"204\"}")
                .contains("receiver_bytes_in_total").containsPattern("receiver_objects_stored_total [1-9]")
                .containsPattern("receiver_commit_seconds_count [1-9]");
    }
}
