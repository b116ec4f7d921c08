package io.k8scollector.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.testkit.catalog.Catalog;
import io.k8scollector.testkit.catalog.TypeKey;
import io.k8scollector.testkit.generator.Churn;
import io.k8scollector.testkit.generator.ClusterGenerator;
import io.k8scollector.testkit.store.ObjectStore;
import io.k8scollector.testkit.store.StoredObject;
import io.k8scollector.testkit.store.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ChurnTest {

    private static final ClusterSpec SPEC = ClusterSpec.builder().pods(30).seed(5).build();
    private static final TypeKey PODS = new TypeKey("", "pods");
    private static final TypeKey SECRETS = new TypeKey("", "secrets");

    @Test
    void theSameSpecMakesTheSameChanges() throws InterruptedException {
        assertThat(changes(300)).isEqualTo(changes(300)).hasSizeGreaterThan(300);
    }

    @Test
    void createsRelabelsAndDeletesPodsAndUpgradesHelmReleases() throws InterruptedException {
        List<String> changes = changes(300);
        assertThat(changes).anyMatch(c -> c.startsWith("ADDED pods churn-"))
                .anyMatch(c -> c.startsWith("MODIFIED pods churn-"))
                .anyMatch(c -> c.startsWith("DELETED pods churn-"))
                .anyMatch(c -> c.startsWith("ADDED secrets sh.helm.release.v1.storefront.v4"))
                .anyMatch(c -> c.startsWith("MODIFIED secrets sh.helm.release.v1.storefront.v3"));
    }

    @Test
    void staysBounded() {
        ObjectStore store = populated();
        Churn churn = new Churn(store, SPEC);
        int pods = store.count("", "pods");
        for (int i = 0; i < 3000; i++) {
            churn.step();
        }
        assertThat(store.count("", "pods")).isBetween(pods, pods + 10);
        List<StoredObject> releases = store.type(SECRETS).all().stream()
                .filter(s -> s.name().startsWith("sh.helm.release.v1.storefront.")).toList();
        assertThat(releases).hasSize(10);
        assertThat(releases).filteredOn(s -> "deployed".equals(s.labels().get("status"))).hasSize(1);
        assertThat(churn.changes()).isEqualTo(3000);
    }

    @Test
    void runsAtItsRateInAServingCluster() throws Exception {
        try (TestCluster cluster = TestCluster.start(ClusterSpec.builder().pods(30).churn(200).build());
                WatchClient watch = new ClusterClient(cluster).watch("/api/v1/pods?watch=1&resourceVersion="
                        + cluster.store().resourceVersion())) {
            List<JsonNode> events = watch.next(20);
            assertThat(events).extracting(e -> e.path("object").path("metadata").path("name").asString())
                    .allMatch(name -> name.startsWith("churn-"));
            assertThat(cluster.churn().changes()).isPositive();
        }
    }

    /** The changes of {@code steps} churn steps over a freshly generated cluster, as a watch reports them. */
    private static List<String> changes(int steps) throws InterruptedException {
        ObjectStore store = populated();
        long start = store.resourceVersion();
        Churn churn = new Churn(store, SPEC);
        for (int i = 0; i < steps; i++) {
            churn.step();
        }
        List<String> changes = new ArrayList<>();
        for (TypeKey type : List.of(PODS, SECRETS)) {
            for (WatchEvent event : store.type(type).history().after(start, Integer.MAX_VALUE, 0).events()) {
                changes.add(event.type() + " " + type.resource() + " " + event.object().name() + " "
                        + event.object().uid() + " " + event.object().labels());
            }
        }
        return changes;
    }

    private static ObjectStore populated() {
        ObjectStore store = new ObjectStore(new Catalog());
        new ClusterGenerator(SPEC).populate(store);
        return store;
    }
}
