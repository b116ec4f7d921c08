package io.k8scollector.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.catalog.TypeKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.node.ObjectNode;

/** The faithfulness test: the real kubectl 1.35 talks to the test cluster as to a real one. */
class KubectlTest {

    private static final int PODS = 1234;

    @TempDir
    static Path dir;

    private static TestCluster cluster;
    private static Path kubeconfig;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(ClusterSpec.builder().pods(PODS).seed(11).build());
        kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void listsEveryPodByPagesOf500() throws Exception {
        JsonNode list = Json.MAPPER.readTree(kubectl("get", "pods", "-A", "-o", "json").output());
        assertThat(uids(list)).hasSize(PODS).isEqualTo(cluster.store().uids("", "pods"));
        assertThat(cluster.requests()).containsEntry("/api/v1/pods", 3L);
    }

    @Test
    void listsCustomResourcesAtThePreferredVersion() throws Exception {
        JsonNode widgets = Json.MAPPER.readTree(kubectl("get", "widgets.example.com", "-A", "-o", "json").output());
        assertThat(uids(widgets)).isNotEmpty().isEqualTo(cluster.store().uids("example.com", "widgets"));
        assertThat(widgets.get("items").get(0).path("apiVersion").asString()).isEqualTo("example.com/v1");
        JsonNode gadgets = Json.MAPPER.readTree(kubectl("get", "gadgets", "-A", "-o", "json").output());
        assertThat(uids(gadgets)).isNotEmpty().isEqualTo(cluster.store().uids("example.com", "gadgets"));
        assertThat(gadgets.get("items").get(0).path("apiVersion").asString()).isEqualTo("example.com/v1beta1");
    }

    @Test
    void getsOneObjectByShortName() throws Exception {
        JsonNode namespace = Json.MAPPER.readTree(kubectl("get", "ns", "kube-system", "-o", "json").output());
        assertThat(namespace.path("metadata").path("uid").asString())
                .isEqualTo(cluster.store().get("", "namespaces", null, "kube-system").orElseThrow()
                        .path("metadata").path("uid").asString());
    }

    @Test
    void apiResourcesShowsBuiltInAndCustomTypes() throws Exception {
        List<String> rows = kubectl("api-resources", "--no-headers").output().lines()
                .map(line -> String.join(" ", line.trim().split("\\s+"))).toList();
        assertThat(rows).contains("pods po v1 true Pod", "deployments deploy apps/v1 true Deployment",
                "horizontalpodautoscalers hpa autoscaling/v2 true HorizontalPodAutoscaler",
                "widgets wd example.com/v1 true Widget", "gadgets gd example.com/v1beta1 true Gadget",
                "applications app argoproj.io/v1alpha1 true Application",
                "nodes metrics.k8s.io/v1beta1 false NodeMetrics",
                "tokenreviews authentication.k8s.io/v1 false TokenReview");
    }

    @Test
    void rawVersionIs135() throws Exception {
        JsonNode version = Json.MAPPER.readTree(kubectl("get", "--raw", "/version").output());
        assertThat(version.path("gitVersion").asString()).isEqualTo("v1.35.0");
    }

    @Test
    void reportsAForbiddenTypeAsKubectlDoes() throws Exception {
        cluster.faults().forbid("", "secrets");
        try {
            Run run = kubectlRun("get", "secrets", "-A", "-o", "json");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.error()).contains("secrets is forbidden");
        } finally {
            cluster.faults().clear();
        }
    }

    @Test
    void watchesPodsAndPrintsWhatTheClusterChanged() throws Exception {
        int shopPods = (int) cluster.store().type(new TypeKey("", "pods")).all().stream()
                .filter(pod -> "shop".equals(pod.namespace())).count();
        List<String> command = kubectlCommand("get", "pods", "-n", "shop", "--watch", "--output-watch-events",
                "-o", "json");
        Path out = Files.createTempFile(dir, "kubectl-watch", ".out");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(Files.createTempFile(dir, "kubectl-watch", ".err").toFile()).start();
        try {
            assertThat(events(out, shopPods)).extracting(e -> e.path("type").asString()).containsOnly("ADDED");
            ObjectNode pod = (ObjectNode) cluster.store().get("", "pods", "shop",
                    cluster.store().type(new TypeKey("", "pods")).all().stream()
                            .filter(p -> "shop".equals(p.namespace())).findFirst().orElseThrow().name())
                    .orElseThrow();
            ObjectNode metadata = (ObjectNode) pod.get("metadata");
            metadata.put("name", "watched-by-kubectl");
            metadata.remove(List.of("uid", "resourceVersion", "creationTimestamp"));
            cluster.store().put(pod);
            List<String> expected = new ArrayList<>();
            expected.add("ADDED " + storedResourceVersion("watched-by-kubectl"));
            metadata.withObjectProperty("labels").put("watched", "yes");
            cluster.store().put(pod);
            expected.add("MODIFIED " + storedResourceVersion("watched-by-kubectl"));
            // The deletion is the next change; its PodMetrics goes right after it.
            expected.add("DELETED " + (cluster.store().resourceVersion() + 1));
            cluster.store().delete("", "pods", "shop", "watched-by-kubectl");
            List<JsonNode> changes = events(out, shopPods + 3).subList(shopPods, shopPods + 3);
            assertThat(changes).extracting(e -> e.path("type").asString() + " "
                    + e.path("object").path("metadata").path("resourceVersion").asString()).isEqualTo(expected);
            assertThat(changes).extracting(e -> e.path("object").path("metadata").path("name").asString())
                    .containsOnly("watched-by-kubectl");
            assertThat(changes.get(1).path("object").path("metadata").path("labels").path("watched").asString())
                    .isEqualTo("yes");
        } finally {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("kubectl stopped").isTrue();
        }
    }

    private static long storedResourceVersion(String pod) {
        return cluster.store().get("", "pods", "shop", pod).orElseThrow()
                .path("metadata").path("resourceVersion").asLong();
    }

    /** Waits, at most a minute, until kubectl printed at least {@code count} watch events, and returns them. */
    private static List<JsonNode> events(Path out, int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        List<JsonNode> events = new ArrayList<>();
        while (events.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            events.clear();
            try (MappingIterator<JsonNode> values = Json.MAPPER.readerFor(JsonNode.class)
                    .readValues(Files.readString(out, StandardCharsets.UTF_8))) {
                while (values.hasNext()) {
                    events.add(values.next());
                }
            } catch (JacksonException e) {
                // kubectl is in the middle of printing an event; read again.
            }
        }
        assertThat(events).as("watch events printed by kubectl").hasSizeGreaterThanOrEqualTo(count);
        return events;
    }

    private static Set<String> uids(JsonNode list) {
        Set<String> uids = new HashSet<>();
        list.get("items").forEach(item -> uids.add(item.path("metadata").path("uid").asString()));
        assertThat(uids).hasSize(list.get("items").size());
        return uids;
    }

    /** Runs kubectl and expects success. */
    private static Run kubectl(String... args) throws IOException, InterruptedException {
        Run run = kubectlRun(args);
        assertThat(run.exitCode()).as("kubectl %s failed: %s", List.of(args), run.error()).isZero();
        return run;
    }

    private static List<String> kubectlCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(Tools.kubectl().toString(),
                "--kubeconfig", kubeconfig.toString(), "--cache-dir", dir.resolve("cache").toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static Run kubectlRun(String... args) throws IOException, InterruptedException {
        List<String> command = kubectlCommand(args);
        Path out = Files.createTempFile(dir, "kubectl", ".out");
        Path err = Files.createTempFile(dir, "kubectl", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("kubectl finished").isTrue();
        Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        return run;
    }

    private record Run(int exitCode, String output, String error) {}
}
