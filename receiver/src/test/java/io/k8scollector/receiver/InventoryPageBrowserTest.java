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
 * installs both): src/test/js/inventory.cjs signs in with a read key, searches, opens an object
 * and signs out (which revokes the token); the screenshot is kept as target/screenshots/inventory.png.
 */
class InventoryPageBrowserTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void signsInSearchesAndShowsAnObjectWithItsPlaceInTheTree(@TempDir Path dir) throws Exception {
        Path modules = ROOT.resolve(".tools/node/node_modules");
        assertThat(modules.resolve("playwright-core")).as("playwright-core; run bin/setup").isDirectory();
        assertThat(Path.of("/usr/bin/chromium")).as("Debian's chromium; run bin/setup").exists();
        try (TestReceiver receiver = new TestReceiver(TestDatabases.sqlite(dir), 3)) {
            NewKey key = receiver.keys.create(List.of("shop", "staging"), Set.of(Scope.READ), Instant.now());
            seed(receiver);
            Path screenshot = Path.of("target/screenshots/inventory.png").toAbsolutePath();
            Files.createDirectories(screenshot.getParent());

            JsonNode seen = runScript(modules, Map.of("RECEIVER_URL", receiver.uri("/").toString(),
                    "ACCESS_KEY", key.accessKey(), "SECRET_KEY", key.secretKey(), "SEARCH_KIND", "ReplicaSet",
                    "SCREENSHOT", screenshot.toString()));

            assertThat(seen.get("wrongKeyMessage").asString()).contains("wrong secret key");
            assertThat(seen.get("tokenStored").asBoolean()).isTrue();
            assertThat(seen.get("clusters").toString()).isEqualTo("[\"shop\",\"staging\"]");
            assertThat(seen.get("clusterRows").get(0).asString()).startsWith("shop|ok|cronjob|").contains(" s ago|");
            assertThat(seen.get("clusterRows").get(1).asString())
                    .startsWith("staging|failing api-unreachable|not said (1.0)|").contains(" s ago|");
            assertThat(seen.get("clusterNotes").asString()).contains("shop").contains("3f2a9c1e").contains("9b1c0d2e")
                    .contains("not comparable").doesNotContain("staging");
            assertThat(seen.get("kinds").valueStream().map(JsonNode::asString))
                    .containsExactly("ConfigMap=1", "Deployment=1", "ReplicaSet=1");
            assertThat(seen.get("releases").toString()).isEqualTo("[\"shop\"]");
            assertThat(seen.get("changes").asString()).contains("added").contains("web-5d8f");
            assertThat(seen.get("results").toString()).isEqualTo("[\"web-5d8f\"]");
            assertThat(seen.get("detailTitle").asString()).isEqualTo("ReplicaSet prod/web-5d8f");
            assertThat(seen.get("yaml").asString()).contains("kind: ReplicaSet").contains("replicas: 3");
            assertThat(seen.get("treeHere").asString()).isEqualTo("ReplicaSet prod/web-5d8f");
            assertThat(seen.get("tree").asString()).contains("Deployment prod/web").contains("Pod prod/web-5d8f-x1");
            assertThat(seen.get("signOutStatus").asInt()).isEqualTo(204);
            assertThat(seen.get("afterSignOut").asInt()).isEqualTo(401);
            assertThat(seen.get("errors")).isEmpty();
            assertThat(Files.size(screenshot)).isGreaterThan(10_000);
        }
    }

    private static void seed(TestReceiver receiver) {
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
                "chart", Map.of("name", "shop", "version", "1.4.2", "appVersion", "2.0.1"))));
        receiver.page("shop", second, RecordKind.TREES, List.of(Map.of("uid", "dep-1", "apiVersion", "apps/v1",
                "kind", "Deployment", "name", "web", "namespace", "prod", "children", List.of(Map.of("uid", "rs-1",
                        "apiVersion", "apps/v1", "kind", "ReplicaSet", "name", "web-5d8f", "namespace", "prod",
                        "children", List.of(Map.of("uid", "pod-1", "apiVersion", "v1", "kind", "Pod",
                                "name", "web-5d8f-x1", "namespace", "prod")))))));
        TestReceiver.expect204(receiver.commit("shop", second, Map.of("counts",
                Map.of("objects", 3, "helmReleases", 1, "trees", 1), "report", Map.of("redactionKeyId", "9b1c0d2e"))));
        String staging = FetchingId.generate(Instant.now());
        receiver.snapshot("staging", staging, List.of(configMap("cm-2", "qa", "settings", "web", "1")), List.of());
        TestReceiver.expect204(receiver.post(Paths.abort("staging", staging), Map.of("reason", "api-unreachable",
                "message", "the API server kept answering 503")));
    }

    /** A protocol 1.1 CronJob collector's start (answered 200 by a store that speaks 1.1, 204 by one that does not). */
    private static void startAsCronJob(TestReceiver receiver, String cluster, String fetchingId) {
        int status = receiver.post(Paths.fetchings(cluster), Map.of("protocol", "1.1", "fetchingId", fetchingId,
                "clusterUniqueId", "uid-" + cluster, "collector", Map.of("version", "1.1.0", "mode", "cronjob"),
                "startedAt", Instant.now().toString())).statusCode();
        assertThat(status).isIn(200, 204);
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
