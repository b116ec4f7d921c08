package io.k8scollector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.keys.Scope;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * The inventory browser's query routes (object refs, namespaces, relations, an object's history
 * and diff, images, Helm charts) on {@link InventoryFixture}'s clusters, sent through the real
 * ingest; a subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InventoryQueryContract {

    private TestReceiver receiver;
    /** A read key for prod-eu and prod-us only, as the browser test's. */
    private String limited;

    abstract String databaseUrl();

    void dropDatabase() {}

    @BeforeAll
    void load() {
        receiver = new TestReceiver(databaseUrl(), 3);
        InventoryFixture fixture = new InventoryFixture(receiver);
        fixture.load("");
        fixture.scaleWeb("");
        limited = receiver.token(List.of("prod-eu", "prod-us"), Scope.READ);
    }

    @AfterAll
    void stop() {
        receiver.close();
        dropDatabase();
    }

    private JsonNode get(String path, String token) {
        HttpResponse<String> answer = send(path, token);
        assertThat(answer.statusCode()).as(path + " " + answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    private HttpResponse<String> send(String path, String token) {
        return receiver.send(HttpRequest.newBuilder(receiver.uri(path)).header("Authorization", "Bearer " + token).build());
    }

    private static List<String> texts(JsonNode items, String field) {
        return items.valueStream().map(i -> i.path(field).isNull() ? null : i.path(field).asString()).toList();
    }

    @Test
    void aKindsObjectsComeInNamespaceAndNameOrderPagedAndFiltered() {
        List<String> names = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = get("/v1/clusters/prod-eu/object-refs?group=&kind=ConfigMap&limit=25"
                    + (next == null ? "" : "&continue=" + next), limited);
            names.addAll(texts(page.get("items"), "name"));
            next = page.get("continue").isNull() ? null : page.get("continue").asString();
            pages++;
        } while (next != null);
        assertThat(pages).isEqualTo(3);
        assertThat(names).hasSize(InventoryFixture.CONFIG_MAPS + 1).doesNotHaveDuplicates().isSorted()
                .startsWith("cache-000", "cache-001").endsWith("web-settings");

        JsonNode prefixed = get("/v1/clusters/prod-eu/object-refs?kind=ConfigMap&namePrefix=cache-05&labelSelector=app%3Dcache",
                limited).get("items");
        assertThat(texts(prefixed, "name")).containsExactly("cache-050", "cache-052", "cache-054", "cache-056", "cache-058");
        assertThat(prefixed.get(0).get("labels").get("tier").asString()).isEqualTo("backend");
        assertThat(prefixed.get(0).get("uid").asString()).isEqualTo("prod-eu-cm-50");

        JsonNode pods = get("/v1/clusters/prod-eu/object-refs?group=&kind=Pod", limited).get("items");
        assertThat(texts(pods, "namespace")).containsExactly("kube-system", "payments", "shop", "shop", "shop");
        assertThat(texts(pods, "name")).containsExactly("node-exporter-x7", "db-0", "debug", "web-7c9d-a", "web-7c9d-b");
        assertThat(texts(get("/v1/clusters/prod-eu/object-refs?kind=Pod&namespace=shop&namePrefix=web", limited)
                .get("items"), "name")).containsExactly("web-7c9d-a", "web-7c9d-b");
        JsonNode namespaces = get("/v1/clusters/prod-eu/object-refs?kind=Namespace", limited).get("items");
        assertThat(texts(namespaces, "namespace")).containsOnlyNulls().hasSize(3);
        assertThat(get("/v1/clusters/prod-eu/object-refs?group=apps&kind=Pod", limited).get("items")).isEmpty();
    }

    @Test
    void namespacesCountTheirObjects() {
        JsonNode all = get("/v1/clusters/prod-eu/namespaces", limited).get("items");
        assertThat(all.valueStream().map(n -> n.path("namespace").asString("(cluster)") + "=" + n.get("count").asLong()))
                .containsExactly("(cluster)=3", "kube-system=2", "payments=3", "shop=" + (InventoryFixture.CONFIG_MAPS + 7));
        JsonNode pods = get("/v1/clusters/prod-us/namespaces?group=&kind=Pod", limited).get("items");
        assertThat(pods.valueStream().map(n -> n.get("namespace").asString() + "=" + n.get("count").asLong()))
                .containsExactly("kube-system=1", "payments=1", "shop=4");
    }

    @Test
    void anObjectsRelationsAreItsOwnersToTheRootTheTreeBelowAndItsReleases() {
        JsonNode pod = get("/v1/clusters/prod-eu/objects/prod-eu-pod-web-1/relations", limited);
        assertThat(pod.get("object").get("name").asString()).isEqualTo("web-7c9d-b");
        assertThat(texts(pod.get("owners"), "name")).containsExactly("web-7c9d", "web");
        assertThat(texts(pod.get("owners"), "kind")).containsExactly("ReplicaSet", "Deployment");
        assertThat(pod.get("tree").get("uid").asString()).isEqualTo("prod-eu-pod-web-1");
        assertThat(pod.get("releases")).hasSize(1);
        assertThat(pod.get("releases").get(0).get("name").asString()).isEqualTo("storefront");
        assertThat(pod.get("releases").get(0).get("chart").get("version").asString()).isEqualTo("1.4.3");
        assertThat(pod.get("releases").get(0).get("via").get("kind").asString()).isEqualTo("Deployment");

        JsonNode deployment = get("/v1/clusters/prod-eu/objects/prod-eu-dep-web/relations", limited);
        assertThat(deployment.get("owners")).isEmpty();
        assertThat(deployment.get("tree").get("children").get(0).get("children")).hasSize(2);

        // A claim hangs under its StatefulSet by an implied link, with no ownerReferences; the Argo
        // CD application lists the StatefulSet without a namespace: its destination's.
        JsonNode claim = get("/v1/clusters/prod-eu/objects/prod-eu-pvc-db/relations", limited);
        assertThat(texts(claim.get("owners"), "name")).containsExactly("db");
        assertThat(claim.get("releases").get(0).get("source").asString()).isEqualTo("argocd");
        assertThat(claim.get("releases").get(0).get("name").asString()).isEqualTo("payments-db");

        JsonNode service = get("/v1/clusters/prod-eu/objects/prod-eu-svc-web/relations", limited);
        assertThat(texts(service.get("releases"), "name")).containsExactly("storefront");

        JsonNode alone = get("/v1/clusters/prod-eu/objects/prod-eu-cm-web/relations", limited);
        assertThat(alone.get("owners")).isEmpty();
        assertThat(alone.has("tree")).isFalse();
        assertThat(alone.get("releases")).isEmpty();

        assertThat(send("/v1/clusters/prod-eu/objects/nope/relations", limited).statusCode()).isEqualTo(404);
        assertThat(send("/v1/clusters/staging/objects/staging-pvc-db/relations", limited).statusCode()).isEqualTo(403);
    }

    @Test
    void imagesAreEveryContainerAndInitContainerImageOfTheClustersAKeyMayRead() {
        JsonNode images = get("/v1/images", limited).get("items");
        assertThat(texts(images, "image")).containsExactly("busybox", "busybox:1.36",
                "ghcr.io/example/envoy@sha256:" + "e".repeat(64), "nginx:1.25.5", "nginx:1.27.3", "postgres:16.6",
                "quay.io/prometheus/node-exporter:v1.8.2");
        JsonNode envoy = images.get(2);
        assertThat(envoy.get("repository").asString()).isEqualTo("ghcr.io/example/envoy");
        assertThat(envoy.has("tag")).isFalse();
        assertThat(envoy.get("digest").asString()).isEqualTo("sha256:" + "e".repeat(64));
        assertThat(envoy.get("pods").asLong()).isEqualTo(5);
        assertThat(envoy.get("clusters").toString()).isEqualTo("[\"prod-eu\",\"prod-us\"]");
        assertThat(envoy.get("workloads").valueStream()
                .map(w -> w.get("cluster").asString() + " " + w.get("kind").asString() + " " + w.get("namespace").asString()
                        + "/" + w.get("name").asString() + " " + w.get("pods").asLong()))
                .containsExactly("prod-eu Deployment shop/web 2", "prod-us Deployment shop/web 3");

        JsonNode latest = images.get(0);
        assertThat(latest.get("tag").asString()).isEqualTo("latest");
        assertThat(latest.get("workloads").get(0).get("kind").asString()).isEqualTo("Pod");
        assertThat(latest.get("workloads").get(0).get("name").asString()).isEqualTo("debug");
        JsonNode init = images.get(1);
        assertThat(init.get("pods").asLong()).isEqualTo(5);
        assertThat(init.get("runningDigests")).hasSize(1);

        assertThat(texts(get("/v1/images?search=NGINX", limited).get("items"), "image"))
                .containsExactly("nginx:1.25.5", "nginx:1.27.3");
        assertThat(texts(get("/v1/images?cluster=prod-us&search=nginx", limited).get("items"), "image"))
                .containsExactly("nginx:1.25.5");
        JsonNode first = get("/v1/images?limit=4", limited);
        JsonNode rest = get("/v1/images?limit=4&continue=" + first.get("continue").asString(), limited);
        assertThat(texts(rest.get("items"), "image")).containsExactly("nginx:1.27.3", "postgres:16.6",
                "quay.io/prometheus/node-exporter:v1.8.2");
        assertThat(rest.get("continue").isNull()).isTrue();
        assertThat(send("/v1/images?cluster=staging", limited).statusCode()).isEqualTo(403);
        assertThat(texts(get("/v1/images?search=staging", receiver.token).get("items"), "image"))
                .containsExactly("registry.example.com:5000/staging/only:9.9");
    }

    @Test
    void imagesFollowTheNewSnapshotOnceAClusterCommitsAgain() {
        InventoryFixture fixture = new InventoryFixture(receiver);
        fixture.load("again-");
        String only = receiver.token(List.of("again-prod-eu"), Scope.READ);
        assertThat(texts(get("/v1/images?search=nginx", only).get("items"), "image")).containsExactly("nginx:1.27.3");
        receiver.snapshot("again-prod-eu", FetchingId.generate(Instant.now().plusSeconds(1)),
                List.of(TestObjects.configMap("again-cm", "shop", "left", "x", "1")), List.of());
        assertThat(get("/v1/images", only).get("items")).isEmpty();
    }

    @Test
    void chartsShowEveryReleaseOfAChartAndWhichRunAnOlderVersion() {
        JsonNode charts = get("/v1/helm-charts", limited).get("items");
        assertThat(texts(charts, "chart")).containsExactly("postgresql", "storefront");
        JsonNode storefront = charts.get(1);
        assertThat(storefront.get("newestVersion").asString()).isEqualTo("1.4.3");
        assertThat(storefront.get("outdated").asInt()).isEqualTo(1);
        assertThat(storefront.get("releases").valueStream()
                .map(r -> r.get("cluster").asString() + " " + r.get("version").asString() + " " + r.get("outdated").asBoolean()))
                .containsExactly("prod-eu 1.4.3 false", "prod-us 1.3.0 true");
        assertThat(charts.get(0).get("releases").get(0).get("source").asString()).isEqualTo("argocd");
        assertThat(charts.get(0).get("releases").get(0).get("destinationNamespace").asString()).isEqualTo("payments");

        // A key for every cluster sees staging's newer chart, and both others fall behind it.
        JsonNode all = get("/v1/helm-charts?search=store", receiver.token).get("items");
        assertThat(all).hasSize(1);
        assertThat(all.get(0).get("newestVersion").asString()).isEqualTo("9.9.9");
        assertThat(all.get(0).get("outdated").asInt()).isEqualTo(2);
        assertThat(get("/v1/helm-charts?search=payments-db", limited).get("items").get(0).get("chart").asString())
                .isEqualTo("postgresql");
    }

    @Test
    void chartsOfOneNameFromHelmAndFromArgoCdAreKeptApart() {
        String fetching = FetchingId.generate(Instant.now());
        receiver.start("charts", fetching, "uid-charts");
        receiver.page("charts", fetching, RecordKind.HELM_RELEASES, List.of(
                Map.of("name", "cache", "namespace", "shop", "revision", 2, "status", "deployed", "source", "helm",
                        "storage", "secret", "chart", Map.of("name", "redis", "version", "18.0.0")),
                Map.of("name", "sessions", "namespace", "argocd", "revision", 1, "status", "Synced", "source", "argocd",
                        "storage", "argocd", "destinationNamespace", "shop", "chart", Map.of("name", "redis", "version", "17.0.0"))));
        TestReceiver.expect204(receiver.commit("charts", fetching, Map.of("counts", Map.of("helmReleases", 2))));

        JsonNode charts = get("/v1/helm-charts?cluster=charts", receiver.token).get("items");
        assertThat(charts.valueStream().map(c -> c.get("chart").asString() + " " + c.get("source").asString() + " "
                + c.get("newestVersion").asString() + " " + c.get("outdated").asInt() + " "
                + c.get("releases").get(0).get("name").asString()))
                .containsExactly("redis argocd 17.0.0 0 sessions", "redis helm 18.0.0 0 cache");
        assertThat(charts.get(0).propertyNames()).containsExactly("chart", "source", "newestVersion", "outdated",
                "clusters", "releases");
        JsonNode first = get("/v1/helm-charts?cluster=charts&limit=1", receiver.token);
        assertThat(first.get("items").get(0).get("source").asString()).isEqualTo("argocd");
        JsonNode second = get("/v1/helm-charts?cluster=charts&limit=1&continue=" + first.get("continue").asString(),
                receiver.token);
        assertThat(second.get("items").get(0).get("source").asString()).isEqualTo("helm");
        assertThat(second.get("continue").isNull()).isTrue();
    }

    @Test
    void imagesCountEphemeralContainers() {
        ObjectNode pod = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("uid", "debugged-pod").put("namespace", "shop").put("name", "web-0");
        ObjectNode spec = pod.putObject("spec");
        spec.putArray("containers").addObject().put("name", "web").put("image", "nginx:1.27.3");
        spec.putArray("ephemeralContainers").addObject().put("name", "debugger").put("image", "busybox:1.37-debug")
                .put("targetContainerName", "web");
        pod.putObject("status").putArray("ephemeralContainerStatuses").addObject().put("name", "debugger")
                .put("image", "busybox:1.37-debug").put("imageID", "docker.io/library/busybox@sha256:" + "d".repeat(64));
        receiver.snapshot("debugged", FetchingId.generate(Instant.now()), List.of(pod), List.of());

        JsonNode images = get("/v1/images?cluster=debugged", receiver.token).get("items");
        assertThat(texts(images, "image")).containsExactly("busybox:1.37-debug", "nginx:1.27.3");
        assertThat(images.get(0).get("pods").asLong()).isEqualTo(1);
        assertThat(images.get(0).get("runningDigests").get(0).asString()).isEqualTo("sha256:" + "d".repeat(64));
    }

    @Test
    void anObjectsHistoryIsTheSnapshotsInWhichItsContentChanged() {
        JsonNode web = get("/v1/clusters/prod-eu/objects/prod-eu-dep-web/history", limited).get("items");
        assertThat(texts(web, "change")).containsExactly("added", "changed");
        assertThat(web.get(1).get("fetchingId").asString()).isEqualTo(get("/v1/clusters/prod-eu", limited)
                .get("currentFetchingId").asString());
        JsonNode diff = get("/v1/clusters/prod-eu/objects/prod-eu-dep-web/diff?from=" + web.get(0).get("fetchingId")
                .asString(), limited);
        assertThat(diff.get("from").get("yaml").asString()).contains("replicas: 2").doesNotContain("replicas: 3");
        assertThat(diff.get("to").get("yaml").asString()).contains("replicas: 3").contains("name: web");
        assertThat(diff.get("to").get("fetchingId").asString()).isEqualTo(web.get(1).get("fetchingId").asString());
        assertThat(texts(get("/v1/clusters/prod-eu/objects/prod-eu-pod-web-0/history", limited).get("items"), "change"))
                .containsExactly("added");

        // A status-only version is folded; a deletion and a return are listed; what retention merged away is not.
        String cluster = "history";
        String[] snapshots = new String[5];
        for (int i = 0; i < snapshots.length; i++) {
            snapshots[i] = FetchingId.generate(Instant.now().plusMillis(i));
            ObjectNode tracked = TestObjects.configMap("h-1", "shop", "tracked", "x", i < 2 ? "1" : String.valueOf(i));
            if (i == 1) {
                tracked.putObject("status").put("observed", true);
            }
            List<ObjectNode> objects = new ArrayList<>(List.of(TestObjects.configMap("h-2", "shop", "kept", "x", "1")));
            if (i != 3) {
                objects.add(tracked);
            }
            receiver.snapshot(cluster, snapshots[i], objects, List.of());
            if (i == 2) {
                JsonNode early = get("/v1/clusters/history/objects/h-1/history", receiver.token).get("items");
                assertThat(texts(early, "change")).containsExactly("added", "changed");
                assertThat(texts(early, "fetchingId")).containsExactly(snapshots[0], snapshots[2]);
                assertThat(early.get(0).get("committedAt").asString()).isNotBlank();
            }
        }
        JsonNode late = get("/v1/clusters/history/objects/h-1/history", receiver.token).get("items");
        assertThat(late.valueStream().map(e -> e.get("change").asString() + " " + e.get("fetchingId").asString()))
                .containsExactly("oldest " + snapshots[2], "deleted " + snapshots[3], "added " + snapshots[4]);
        JsonNode gone = get("/v1/clusters/history/objects/h-1/diff?from=" + snapshots[3] + "&to=" + snapshots[4],
                receiver.token);
        assertThat(gone.get("from").get("fetchingId").asString()).isEqualTo(snapshots[3]);
        assertThat(gone.get("from").path("yaml").isString()).isFalse();
        assertThat(gone.get("to").get("yaml").asString()).containsPattern("key: \"?4\"?\n");

        assertThat(send("/v1/clusters/prod-eu/objects/nope/history", limited).statusCode()).isEqualTo(404);
        assertThat(send("/v1/clusters/prod-eu/objects/prod-eu-dep-web/diff", limited).statusCode()).isEqualTo(400);
        assertThat(send("/v1/clusters/prod-eu/objects/prod-eu-dep-web/diff?from=yesterday", limited).statusCode())
                .isEqualTo(400);
        assertThat(send("/v1/clusters/history/objects/h-1/history", limited).statusCode()).isEqualTo(403);
    }

    @Test
    void theBrowsersRoutesNeedTheReadScope() {
        String ingest = receiver.token(List.of(), Scope.INGEST);
        for (String path : List.of("/v1/images", "/v1/helm-charts", "/v1/clusters/prod-eu/object-refs",
                "/v1/clusters/prod-eu/namespaces", "/v1/clusters/prod-eu/objects/prod-eu-dep-web/relations",
                "/v1/clusters/prod-eu/objects/prod-eu-dep-web/history")) {
            assertThat(send(path, ingest).statusCode()).as(path).isEqualTo(403);
        }
        assertThat(send("/v1/clusters/staging/object-refs", limited).statusCode()).isEqualTo(403);
        assertThat(send("/v1/clusters/prod-eu/object-refs?continue=bm90LWEtcG9zaXRpb24", limited).statusCode()).isEqualTo(400);
    }
}
