package io.k8scollector.collector.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.k8scollector.collector.ConnectedCluster;
import io.k8scollector.collector.config.CollectorConfig.Selection;
import io.k8scollector.collector.config.DefaultResources;
import io.k8scollector.collector.retry.FakeTime;
import io.k8scollector.protocol.Skipped;
import io.k8scollector.testkit.ClusterSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Discovery and selection against the test connected.cluster(). */
class TypeDiscoveryTest {

    @RegisterExtension
    static final ConnectedCluster connected = new ConnectedCluster(ClusterSpec.builder().pods(10).build());

    /** The retrier's time: a retry's wait passes at once and is remembered. */
    private final FakeTime time = new FakeTime();

    private Catalog discover() {
        Selection defaults = new Selection(DefaultResources.names(), Map.of(), List.of(), null, Set.of(), null);
        return new TypeDiscovery(connected.server(), TypeSelection.of(defaults), new RequestRate(1000), time.retrier()).discover();
    }

    private static ResourceType served(Catalog catalog, String group, String resource) {
        return catalog.served().stream()
                .filter(t -> t.group().equals(group) && t.resource().equals(resource))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void picksThePreferredVersionElseTheNewestVersionServingTheResource() {
        Catalog catalog = discover();

        assertThat(served(catalog, "example.com", "widgets").version()).isEqualTo("v1");
        assertThat(served(catalog, "example.com", "gadgets").version()).isEqualTo("v1beta1");
        assertThat(served(catalog, "autoscaling", "horizontalpodautoscalers").version()).isEqualTo("v2");
        assertThat(catalog.served()).extracting(ResourceType::resource).noneMatch(name -> name.contains("/"));
        assertThat(catalog.served()).extracting(ResourceType::group, ResourceType::resource)
                .doesNotHaveDuplicates();
    }

    @Test
    void selectsTheDefaultListAndCustomTypesButNeitherMetricsNorUnlistedOrUnlistableTypes() {
        Catalog catalog = discover();

        assertThat(catalog.selected()).extracting(ResourceType::qualifiedName)
                .contains("pods", "nodes", "deployments.apps", "widgets.example.com", "gadgets.example.com",
                        "applications.argoproj.io")
                .doesNotContain("secrets", "events", "pods.metrics.k8s.io", "nodes.metrics.k8s.io", "tokenreviews.authentication.k8s.io");
        assertThat(served(catalog, "metrics.k8s.io", "pods").listable()).isTrue();
        assertThat(served(catalog, "authentication.k8s.io", "tokenreviews").listable()).isFalse();
        assertThat(catalog.skippedGroups()).isEmpty();
    }

    @Test
    void aGroupWhoseDiscoveryFailsIsSkippedAndTheRestGoesOn() {
        connected.cluster().faults().failDiscovery("metrics.k8s.io", "v1beta1", 503);

        Catalog catalog = discover();

        assertThat(catalog.skippedGroups()).extracting(Skipped::subject, Skipped::group, Skipped::version, Skipped::reason)
                .containsExactly(tuple("group", "metrics.k8s.io", "v1beta1", "discovery-failed"));
        assertThat(catalog.skippedGroups().get(0).message()).contains("HTTP 503");
        assertThat(catalog.served()).noneMatch(type -> type.group().equals("metrics.k8s.io"));
        assertThat(catalog.selected()).extracting(ResourceType::qualifiedName).contains("pods", "widgets.example.com");
        assertThat(time.waits()).as("a dead APIService's 503 is taken at its word").isEmpty();
    }

    @Test
    void aGroupThatKeepsFailingWithAnotherServerErrorIsRetriedThenSkipped() {
        connected.cluster().faults().failDiscovery("metrics.k8s.io", "v1beta1", 500);

        Catalog catalog = discover();

        assertThat(catalog.skippedGroups()).singleElement().satisfies(skipped -> {
            assertThat(skipped.group()).isEqualTo("metrics.k8s.io");
            assertThat(skipped.message()).contains("HTTP 500 after 8 attempts");
        });
        assertThat(time.waits()).hasSize(7);
        assertThat(catalog.selected()).extracting(ResourceType::qualifiedName).contains("pods", "widgets.example.com");
    }

    @Test
    void readsTheClusterUniqueIdFromKubeSystem() {
        String expected = connected.cluster().store().get("", "namespaces", null, "kube-system").orElseThrow()
                .path("metadata").path("uid").asString();

        assertThat(connected.server().clusterUniqueId()).isEqualTo(expected).isNotBlank();
    }
}
