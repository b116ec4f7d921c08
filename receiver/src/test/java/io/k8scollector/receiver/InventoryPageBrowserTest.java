package io.k8scollector.receiver;

import static io.k8scollector.receiver.TestObjects.configMap;
import static io.k8scollector.receiver.TestObjects.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.keys.NewKey;
import io.k8scollector.receiver.keys.Scope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The inventory page in Debian's headless chromium, driven by playwright-core (bin/setup
 * installs both) over {@link InventoryFixture}'s clusters: src/test/js/inventory.cjs signs in
 * with a read key for two of the three clusters (and two more that show health) and goes through
 * every view (clusters, a cluster's kinds, a kind's objects, an object, an object's history and
 * the diff of its change, images, Helm charts), with the keyboard, the
 * filters and a shared URL, then signs out (which revokes the token). A screenshot of each view
 * is kept in target/screenshots/ (docs/images/ has copies for docs/receiver.md).
 */
class InventoryPageBrowserTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final List<String> VIEWS = List.of("clusters", "cluster", "objects", "object", "history", "images", "charts");

    @Test
    void everyViewShowsWhatTheQueryApiAnswersAsText(@TempDir Path dir) throws Exception {
        Path modules = ROOT.resolve(".tools/node/node_modules");
        assertThat(modules.resolve("playwright-core")).as("playwright-core; run bin/setup").isDirectory();
        assertThat(Path.of("/usr/bin/chromium")).as("Debian's chromium; run bin/setup").exists();
        try (TestReceiver receiver = new TestReceiver(TestDatabases.sqlite(dir), 3)) {
            InventoryFixture fixture = new InventoryFixture(receiver);
            fixture.load("");
            fixture.scaleWeb("");
            seedHealth(receiver);
            NewKey key = receiver.keys.create(List.of("prod-eu", "prod-us", "qa", "shop"), Set.of(Scope.READ), Instant.now());
            Path shots = Path.of("target/screenshots").toAbsolutePath();
            Files.createDirectories(shots);

            JsonNode seen = runScript(modules, Map.of("RECEIVER_URL", receiver.uri("/").toString(),
                    "ACCESS_KEY", key.accessKey(), "SECRET_KEY", key.secretKey(), "SHOTS", shots.toString()));

            assertThat(seen.get("policy").asString()).contains("script-src 'sha256-").contains("style-src 'sha256-")
                    .doesNotContain("unsafe-inline").contains("frame-ancestors 'none'");
            assertThat(seen.get("wrongKeyMessage").asString()).contains("wrong secret key");
            assertThat(seen.get("tokenStored").asBoolean()).isTrue();
            assertThat(strings(seen, "clusters")).containsExactly("prod-eu", "prod-us", "qa", "shop");
            assertThat(seen.get("clusterRows").get(3).asString()).startsWith("shop|ok|cronjob|").contains(" s ago|");
            assertThat(seen.get("clusterRows").get(2).asString())
                    .startsWith("qa|failing api-unreachable|not said (1.0)|").contains(" s ago|");
            assertThat(seen.get("clusterNotes").asString()).contains("shop").contains("3f2a9c1e").contains("9b1c0d2e")
                    .contains("not comparable").doesNotContain("qa");

            assertThat(seen.get("clusterHash").asString()).isEqualTo("#/clusters/prod-eu");
            assertThat(strings(seen, "kinds")).containsExactly("ConfigMap=" + (InventoryFixture.CONFIG_MAPS + 1),
                    "DaemonSet=1", "Deployment=1", "Namespace=3", "PersistentVolumeClaim=1", "Pod=5", "ReplicaSet=1",
                    "Service=1", "StatefulSet=1");
            assertThat(strings(seen, "releases")).containsExactly("payments-db", "storefront");
            assertThat(seen.get("changes").asString()).startsWith("From ").contains("changed Deployment shop/web")
                    .doesNotContain("added");
            assertThat(seen.get("hourHash").asString()).isEqualTo("#/clusters/prod-eu?changes=1h");
            assertThat(seen.get("hourChanges").asString()).startsWith("Nothing retained before that time").contains("added ConfigMap shop/cache-000").contains("and 60 more added");
            assertThat(seen.get("crumbs").asString()).isEqualTo("Clusters›prod-eu");

            assertThat(strings(seen, "firstPage")).hasSize(50).startsWith("cache-000").endsWith("cache-049");
            assertThat(seen.get("firstPageCount").asString()).isEqualTo("50 shown; more on the next page.");
            assertThat(strings(seen, "secondPage")).hasSize(11).startsWith("cache-050").endsWith("web-settings");
            assertThat(seen.get("firstLinkShown").asBoolean()).isTrue();
            assertThat(strings(seen, "filtered")).containsExactly("cache-001", "cache-003", "cache-005", "cache-007", "cache-009");
            assertThat(strings(seen, "filteredLabels")).allSatisfy(l -> assertThat(l).contains("app=web").contains("tier=backend"));
            assertThat(seen.get("filterHash").asString()).contains("kind=ConfigMap").contains("labels=app%3Dweb")
                    .contains("name=cache-00");

            assertThat(strings(seen, "pods")).containsExactly("web-7c9d-a", "web-7c9d-b");
            assertThat(seen.get("detailTitle").asString()).isEqualTo("Pod shop/web-7c9d-a");
            assertThat(strings(seen, "detailLabels")).containsExactly("app=web", "pod-template-hash=7c9d");
            assertThat(seen.get("belongs").asString()).contains("Helm release shop/storefront")
                    .contains("chart storefront 1.4.3").contains("through Deployment shop/web");
            assertThat(seen.get("treeHere").asString()).isEqualTo("Pod shop/web-7c9d-a");
            assertThat(strings(seen, "treeLinks")).containsExactly("Deployment shop/web", "ReplicaSet shop/web-7c9d");
            assertThat(seen.get("yaml").asString()).contains("kind: Pod").contains("image: nginx:1.27.3")
                    .contains("value: hmac-sha256:redacted");
            assertThat(seen.get("objectCrumbs").asString()).isEqualTo("Clusters›prod-eu›Pod›shop/web-7c9d-a");

            assertThat(strings(seen, "history")).containsExactly("added", "changed");
            assertThat(seen.get("diffHash").asString()).startsWith("#/clusters/prod-eu/objects/prod-eu-dep-web?from=")
                    .contains("&to=");
            assertThat(seen.get("diffTitle").asString()).startsWith("From ").contains(" to ");
            assertThat(strings(seen, "diffDeleted")).containsExactly("-   replicas: 2");
            assertThat(strings(seen, "diffAdded")).containsExactly("+   replicas: 3");
            assertThat(seen.get("diffFolded").asBoolean()).isTrue();

            assertThat(seen.get("markupYaml").asString()).contains(InventoryFixture.MARKUP);
            assertThat(strings(seen, "markupLabels")).contains("markup");
            assertThat(seen.get("injected").asBoolean()).isFalse();

            assertThat(strings(seen, "images")).containsExactly(
                    "busybox latest pods=2 clusters=prod-eu, prod-us",
                    "busybox 1.36 pods=5 clusters=prod-eu, prod-us",
                    "ghcr.io/example/envoy sha256:" + "e".repeat(64) + " pods=5 clusters=prod-eu, prod-us",
                    "nginx 1.25.5 pods=3 clusters=prod-us",
                    "nginx 1.27.3 pods=2 clusters=prod-eu",
                    "postgres 16.6 pods=2 clusters=prod-eu, prod-us",
                    "quay.io/prometheus/node-exporter v1.8.2 pods=2 clusters=prod-eu, prod-us");
            assertThat(strings(seen, "envoyWorkloads")).containsExactly("prod-eu: Deployment shop/web 2 pods",
                    "prod-us: Deployment shop/web 3 pods");
            assertThat(strings(seen, "nginx")).containsExactly("1.25.5", "1.27.3");

            assertThat(strings(seen, "chartHeads")).containsExactly("postgresqlnewest 15.5.0", "shopnewest 1.4.2",
                    "storefrontnewest 1.4.3; 1 behind");
            assertThat(strings(seen, "charts")).containsExactly(
                    "prod-eu argocd/payments-db → payments 15.5.0 current",
                    "prod-us argocd/payments-db → payments 15.5.0 current",
                    "shop prod/shop 1.4.2 current",
                    "prod-eu shop/storefront 1.4.3 current",
                    "prod-us shop/storefront 1.3.0 older than 1.4.3 outdated");
            assertThat(strings(seen, "sharedCharts")).containsExactly("postgresqlnewest 15.5.0");
            assertThat(seen.get("sharedSearch").asString()).isEqualTo("postgres");

            assertThat(seen.get("signOutStatus").asInt()).isEqualTo(204);
            assertThat(seen.get("afterSignOut").asInt()).isEqualTo(401);
            assertThat(seen.get("errors")).isEmpty();
            assertThat(seen.get("consoleErrors")).as("nothing refused by the Content-Security-Policy").isEmpty();
            for (String view : VIEWS) {
                assertThat(Files.size(shots.resolve(view + ".png"))).as(view).isGreaterThan(10_000);
            }
        }
    }

    /** Two clusters besides the fixture's: shop (a CronJob collector whose redaction key changed), qa (failing). */
    private static void seedHealth(TestReceiver receiver) {
        String first = FetchingId.generate(Instant.now().minusSeconds(5));
        startAsCronJob(receiver, "shop", first);
        receiver.page("shop", first, RecordKind.OBJECTS, List.of(configMap("cm-1", "prod", "settings", "web", "1")));
        TestReceiver.expect204(receiver.commit("shop", first, Map.of("counts", Map.of("objects", 1),
                "report", Map.of("redactionKeyId", "3f2a9c1e"))));
        String second = FetchingId.generate(Instant.now());
        startAsCronJob(receiver, "shop", second);
        ObjectNode replicaSet = deployment("rs-1", "prod", "web-5d8f").put("kind", "ReplicaSet");
        ((ObjectNode) replicaSet.get("spec")).put("replicas", 3);
        ((ObjectNode) replicaSet.get("metadata")).putArray("ownerReferences").addObject()
                .put("apiVersion", "apps/v1").put("kind", "Deployment").put("name", "web").put("uid", "dep-1")
                .put("controller", true);
        receiver.page("shop", second, RecordKind.OBJECTS, List.of(configMap("cm-1", "prod", "settings", "web", "1"),
                deployment("dep-1", "prod", "web"), replicaSet));
        receiver.page("shop", second, RecordKind.HELM_RELEASES, List.of(Map.of("name", "shop", "namespace", "prod",
                "revision", 2, "status", "deployed", "source", "helm", "storage", "secret",
                "chart", Map.of("name", "shop", "version", "1.4.2", "appVersion", "2.0.1"), "resources", List.of())));
        receiver.page("shop", second, RecordKind.TREES, List.of(Map.of("uid", "dep-1", "apiVersion", "apps/v1",
                "kind", "Deployment", "name", "web", "namespace", "prod", "children", List.of(Map.of("uid", "rs-1",
                        "apiVersion", "apps/v1", "kind", "ReplicaSet", "name", "web-5d8f", "namespace", "prod",
                        "children", List.of(Map.of("uid", "pod-1", "apiVersion", "v1", "kind", "Pod",
                                "name", "web-5d8f-x1", "namespace", "prod")))))));
        TestReceiver.expect204(receiver.commit("shop", second, Map.of("counts",
                Map.of("objects", 3, "helmReleases", 1, "trees", 1), "report", Map.of("redactionKeyId", "9b1c0d2e"))));
        String qa = FetchingId.generate(Instant.now());
        receiver.snapshot("qa", qa, List.of(configMap("cm-2", "qa", "settings", "web", "1")), List.of());
        TestReceiver.expect204(receiver.post(Paths.abort("qa", qa), Map.of("reason", "api-unreachable",
                "message", "the API server kept answering 503")));
    }

    /** A protocol 1.1 CronJob collector's start (answered 200 by a store that speaks 1.1, 204 by one that does not). */
    private static void startAsCronJob(TestReceiver receiver, String cluster, String fetchingId) {
        int status = receiver.post(Paths.fetchings(cluster), Map.of("protocol", "1.1", "fetchingId", fetchingId,
                "clusterUniqueId", "uid-" + cluster, "collector", Map.of("version", "1.1.0", "mode", "cronjob"),
                "startedAt", Instant.now().toString())).statusCode();
        assertThat(status).isIn(200, 204);
    }

    private static List<String> strings(JsonNode seen, String field) {
        return seen.get(field).valueStream().map(JsonNode::asString).toList();
    }

    private static JsonNode runScript(Path modules, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder node = new ProcessBuilder("node", "src/test/js/inventory.cjs").redirectErrorStream(false);
        node.environment().putAll(env);
        node.environment().put("NODE_PATH", modules.toString());
        Process process = node.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(err, StandardCharsets.UTF_8)).isZero();
        return Json.MAPPER.readTree(out);
    }
}
