package io.k8scollector.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import io.k8scollector.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The collector end to end through its command line, in-process, against the test cluster: a
 * dry-run must emit exactly the expected objects (by uid) and exit 0 whatever faults it meets,
 * and list the same objects as the real kubectl.
 */
class DryRunEndToEndTest {

    @TempDir
    static Path dir;

    private static TestCluster cluster;
    private static Path kubeconfig;
    private static Path configDir;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(ClusterSpec.builder().pods(300).seed(11).build());
        kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
        configDir = Files.createDirectory(dir.resolve("config"));
        Files.writeString(configDir.resolve("collector.listPageSize"), "50");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void clearFaults() {
        cluster.faults().clear();
    }

    private record Outcome(int exitCode, JsonNode document, String stderr) {}

    private static Outcome dryRun() {
        return dryRun(configDir);
    }

    private static Outcome dryRun(Path config) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"-external", kubeconfig.toString(), "-config=" + config, "-dry-run", "e2e"},
                Map.of("HOME", dir.toString()), stdout, new PrintStream(stderr, true, StandardCharsets.UTF_8));
        String errors = stderr.toString(StandardCharsets.UTF_8);
        assertThat(code).as(errors).isZero();
        return new Outcome(code, Json.MAPPER.readTree(stdout.toByteArray()), errors);
    }

    /**
     * The types the default configuration collects from the test cluster's catalog, written out
     * (group, resource): the built-in types of docs/configuration.md's default list that the
     * cluster serves, and every custom type. Not derived from the collector's own selection code,
     * so that a change to it shows here; a change to the test cluster's catalog must show here too.
     */
    private static final List<List<String>> COLLECTED_BY_DEFAULT = List.of(
            List.of("", "configmaps"), List.of("", "endpoints"), List.of("", "namespaces"), List.of("", "nodes"),
            List.of("", "persistentvolumeclaims"), List.of("", "persistentvolumes"), List.of("", "pods"),
            List.of("", "replicationcontrollers"), List.of("", "serviceaccounts"), List.of("", "services"),
            List.of("apiregistration.k8s.io", "apiservices"), List.of("apps", "controllerrevisions"),
            List.of("apps", "daemonsets"), List.of("apps", "deployments"), List.of("apps", "replicasets"),
            List.of("apps", "statefulsets"), List.of("batch", "cronjobs"), List.of("batch", "jobs"),
            List.of("networking.k8s.io", "ingresses"), List.of("networking.k8s.io", "networkpolicies"),
            List.of("rbac.authorization.k8s.io", "clusterrolebindings"),
            List.of("rbac.authorization.k8s.io", "clusterroles"), List.of("rbac.authorization.k8s.io", "rolebindings"),
            List.of("rbac.authorization.k8s.io", "roles"), List.of("storage.k8s.io", "csinodes"),
            List.of("storage.k8s.io", "storageclasses"), List.of("apiextensions.k8s.io", "customresourcedefinitions"),
            List.of("scheduling.k8s.io", "priorityclasses"), List.of("coordination.k8s.io", "leases"),
            List.of("discovery.k8s.io", "endpointslices"), List.of("flowcontrol.apiserver.k8s.io", "flowschemas"),
            List.of("flowcontrol.apiserver.k8s.io", "prioritylevelconfigurations"),
            List.of("argoproj.io", "analysistemplates"), List.of("argoproj.io", "applications"),
            List.of("argoproj.io", "rollouts"), List.of("example.com", "widgets"), List.of("example.com", "gadgets"));

    /** The uids of every object of {@link #COLLECTED_BY_DEFAULT} in the test cluster, less the forbidden resources'. */
    private static Set<String> expectedUids(Set<String> forbiddenResources) {
        Set<String> uids = new HashSet<>();
        for (List<String> type : COLLECTED_BY_DEFAULT) {
            String name = type.get(0).isEmpty() ? type.get(1) : type.get(1) + "." + type.get(0);
            if (!forbiddenResources.contains(name)) {
                uids.addAll(cluster.store().uids(type.get(0), type.get(1)));
            }
        }
        return uids;
    }

    private static List<String> uids(JsonNode items) {
        return StreamSupport.stream(items.spliterator(), false).map(o -> o.path("metadata").path("uid").asString()).toList();
    }

    @Test
    void emitsExactlyTheExpectedObjectsThroughEveryFaultAndExitsZero() {
        cluster.faults().forbid("", "configmaps");
        cluster.faults().failDiscovery("metrics.k8s.io", "v1beta1", 503);
        cluster.faults().expireContinueOnce("", "pods");
        // Retry-After 0: the run goes on through a 429 without waiting out a real second (the
        // wait itself is checked with an injected clock in TypeListerTest).
        cluster.faults().throttleOnce("apps", "replicasets", 0);
        cluster.faults().failOnce("", "services", 500);

        Outcome outcome = dryRun();

        JsonNode objects = outcome.document().path("objects");
        assertThat(uids(objects)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expectedUids(Set.of("configmaps")));
        assertThat(objects).allSatisfy(object -> {
            assertThat(object.path("apiVersion").asString()).isNotEmpty();
            assertThat(object.path("kind").asString()).isNotEmpty();
            assertThat(object.path("metadata").has("managedFields")).isFalse();
        });
        assertThat(outcome.document().path("skipped")).extracting(
                        s -> s.path("kind").asString(), s -> s.path("group").asString(), s -> s.path("resource").asString(""),
                        s -> s.path("reason").asString())
                .containsExactlyInAnyOrder(
                        tuple("type", "", "configmaps", "forbidden"),
                        tuple("group", "metrics.k8s.io", "", "discovery-failed"),
                        tuple("record", "", "", "forbidden"));
        assertThat(outcome.document().path("skipped")).filteredOn(s -> s.path("kind").asString().equals("record"))
                .singleElement().satisfies(storage -> assertThat(storage.path("recordKind").asString() + " "
                        + storage.path("source").asString() + " " + storage.path("storage").asString())
                        .isEqualTo("helmRelease helm configmap"));
        assertThat(outcome.document().path("helmReleases").isArray()).isTrue();
        assertThat(outcome.document().path("trees").isArray()).isTrue();
        assertThat(outcome.stderr()).contains("Types listed:").contains("configmaps").contains("discovery-failed");
    }

    @Test
    void theTypeCatalogSaysWhatWasCollectedAndWhyNot() {
        cluster.faults().forbid("", "configmaps");

        JsonNode types = dryRun().document().path("types");

        Map<String, JsonNode> byName = new LinkedHashMap<>();
        types.forEach(type -> byName.put(type.path("resource").asString() + "." + type.path("group").asString(), type));
        assertThat(byName.get("widgets.example.com").path("version").asString()).isEqualTo("v1");
        assertThat(byName.get("gadgets.example.com").path("version").asString()).isEqualTo("v1beta1");
        assertThat(byName.get("pods.").path("collected").asBoolean()).isTrue();
        assertThat(byName.get("configmaps.").path("skipReason").asString()).isEqualTo("forbidden");
        assertThat(byName.get("secrets.").path("skipReason").asString()).isEqualTo("not-selected");
        assertThat(byName.get("pods.metrics.k8s.io").path("skipReason").asString()).isEqualTo("not-selected");
        assertThat(byName.get("tokenreviews.authentication.k8s.io").path("skipReason").asString()).isEqualTo("not-listable");
        assertThat(byName.keySet()).noneMatch(name -> name.contains("/"));
    }

    @Test
    void objectsOverTheSizeLimitAreSkippedOneByOne() throws Exception {
        Path small = Files.createDirectory(dir.resolve("small-items"));
        Files.writeString(small.resolve("collector.resources"), "pods\nnamespaces");
        Files.writeString(small.resolve("collector.excludeResources"), "*.*");
        Files.writeString(small.resolve("collector.maxItemSizeKb"), "2");

        JsonNode document = dryRun(small).document();

        assertThat(document.path("objects")).isNotEmpty()
                .allSatisfy(object -> assertThat(Json.MAPPER.writeValueAsBytes(object).length).isLessThanOrEqualTo(2048));
        List<String> tooLarge = new ArrayList<>();
        document.path("skipped").forEach(entry -> {
            assertThat(entry.path("kind").asString()).isEqualTo("object");
            assertThat(entry.path("reason").asString()).isEqualTo("too-large");
            tooLarge.add(entry.path("namespace").asString() + "/" + entry.path("name").asString());
        });
        assertThat(tooLarge).hasSize(cluster.store().count("", "pods")).doesNotHaveDuplicates();
    }

    @Test
    void listsTheSameObjectsAsTheRealKubectl() throws Exception {
        List<String> types = List.of("pods", "deployments.apps", "replicasets.apps", "nodes", "namespaces",
                "widgets.example.com", "gadgets.example.com", "applications.argoproj.io");
        List<String> command = new ArrayList<>(List.of(Tools.kubectl().toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", dir.resolve("kubectl-cache").toString(), "get", String.join(",", types), "-A", "-o", "json"));
        Process kubectl = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] listed = kubectl.getInputStream().readAllBytes();
        assertThat(kubectl.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(kubectl.exitValue()).isZero();
        List<String> kubectlUids = uids(Json.MAPPER.readTree(listed).path("items"));

        Set<String> kinds = Set.of("Pod", "Deployment", "ReplicaSet", "Node", "Namespace", "Widget", "Gadget", "Application");
        List<String> collectorUids = new ArrayList<>();
        dryRun().document().path("objects").forEach(object -> {
            if (kinds.contains(object.path("kind").asString())) {
                collectorUids.add(object.path("metadata").path("uid").asString());
            }
        });

        assertThat(kubectlUids).hasSizeGreaterThan(300);
        assertThat(collectorUids).containsExactlyInAnyOrderElementsOf(kubectlUids);
    }
}
