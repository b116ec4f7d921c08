package io.k8scollector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.cli.Main;
import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * A real collector run, with the ConfigMap the chart renders, against the test cluster: every
 * request it makes is one the chart's ClusterRole allows, as the RBAC authorizer would decide,
 * besides discovery, which Kubernetes' own {@code system:discovery} role opens to every
 * authenticated user. With {@code fetchEverything: false} the only requests refused are the
 * lists of custom resources outside the selection, which the run reports as forbidden.
 */
class CollectorStaysWithinTheClusterRoleTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "fetchEverything: {0}")
    @ValueSource(booleans = {true, false})
    void everyRequestOfARunIsAllowedByTheClusterRole(boolean fetchEverything) throws IOException {
        Manifests manifests = new Helm(dir).render(ValueSets.REQUIRED + "fetchEverything: " + fetchEverything + "\n");
        PolicyRules policy = PolicyRules.of(manifests.one("ClusterRole"));
        Set<String> selected = Set.copyOf(manifests.configLines("collector.resources"));

        Map<String, Long> requests;
        try (TestCluster cluster = TestCluster.start(ClusterSpec.builder().pods(20).seed(5).build())) {
            Path kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
            dryRun(kubeconfig, configDirectory(manifests));
            requests = cluster.requests();
        }

        List<ApiRequest> made = requests.keySet().stream().map(ApiRequest::get).toList();
        assertThat(made).contains(ApiRequest.get("/api/v1/namespaces/kube-system"), ApiRequest.get("/api/v1/pods"));
        List<ApiRequest> refused = made.stream()
                .filter(request -> request.resourceRequest() && !policy.allows(request))
                .toList();
        if (fetchEverything) {
            assertThat(refused).isEmpty();
        } else {
            assertThat(refused).isNotEmpty().allSatisfy(request -> {
                assertThat(request.verb()).isEqualTo("list");
                assertThat(selected).doesNotContain(request.resource() + "." + request.group());
            });
        }
        assertThat(made.stream().filter(request -> !request.resourceRequest()).map(ApiRequest::path))
                .isNotEmpty()
                .allMatch(path -> path.matches("/apis?(/[^/]+){0,2}"), "a discovery path");
    }

    /** The ConfigMap's keys written one file each, as the kubelet mounts it. */
    private Path configDirectory(Manifests manifests) throws IOException {
        Path config = Files.createDirectories(dir.resolve("etc-config"));
        for (Map.Entry<String, JsonNode> entry : manifests.one("ConfigMap").path("data").properties()) {
            Files.writeString(config.resolve(entry.getKey()), entry.getValue().asString());
        }
        return config;
    }

    /** A dry-run of the collector in this JVM; fails with the run's log unless it exits 0. */
    private static void dryRun(Path kubeconfig, Path config) {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"-external", kubeconfig.toString(), "-config", config.toString(), "-dry-run",
                "prod-eu_1"}, Map.of("REDACTION_KEY", "a-fake-redaction-key-for-the-chart-tests"),
                new ByteArrayOutputStream(), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertThat(code).as(stderr.toString(StandardCharsets.UTF_8)).isZero();
    }
}
