package io.k8scollector.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.catalog.Catalog;
import io.k8scollector.testkit.catalog.TypeKey;
import io.k8scollector.testkit.generator.ClusterGenerator;
import io.k8scollector.testkit.store.ObjectStore;
import io.k8scollector.testkit.store.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class GeneratorTest {

    private static ObjectStore store;

    @BeforeAll
    static void generate() {
        store = generated(ClusterSpec.builder().pods(300).seed(42).build());
    }

    @Test
    void theSameSeedGivesTheSameUidsAndAnotherSeedOthers() {
        ObjectStore again = generated(ClusterSpec.builder().pods(300).seed(42).build());
        ObjectStore other = generated(ClusterSpec.builder().pods(300).seed(43).build());
        for (String[] type : new String[][] {{"", "pods"}, {"apps", "replicasets"}, {"", "namespaces"},
                {"example.com", "widgets"}}) {
            assertThat(again.uids(type[0], type[1])).isEqualTo(store.uids(type[0], type[1]));
            assertThat(other.uids(type[0], type[1])).doesNotContainAnyElementsOf(store.uids(type[0], type[1]));
        }
        assertThat(again.get("", "namespaces", null, "kube-system").orElseThrow().path("metadata").path("uid"))
                .isEqualTo(store.get("", "namespaces", null, "kube-system").orElseThrow().path("metadata").path("uid"));
    }

    @Test
    void makesExactlyTheRequestedPodsOfRealisticSize() {
        assertThat(store.count("", "pods")).isEqualTo(300);
        List<StoredObject> pods = store.type(new TypeKey("", "pods")).all();
        double average = pods.stream().mapToInt(pod -> pod.body().length).average().orElseThrow();
        assertThat(average).isBetween(3000.0, 4100.0);
        assertThat(generated(ClusterSpec.builder().pods(7).build()).count("", "pods")).isEqualTo(7);
    }

    @Test
    void everyPodIsOwnedByAStoredControllerWithItsRealUid() {
        Map<String, String> controllers = new HashMap<>();
        for (String[] type : new String[][] {{"apps", "replicasets"}, {"apps", "statefulsets"},
                {"apps", "daemonsets"}, {"batch", "jobs"}}) {
            store.type(new TypeKey(type[0], type[1])).all().forEach(o -> controllers.put(o.uid(), o.name()));
        }
        for (StoredObject pod : store.type(new TypeKey("", "pods")).all()) {
            JsonNode owner = Json.MAPPER.readTree(pod.body()).path("metadata").path("ownerReferences").get(0);
            assertThat(owner.path("controller").asBoolean()).isTrue();
            assertThat(controllers).containsEntry(owner.path("uid").asString(), owner.path("name").asString());
        }
        JsonNode replicaSet = Json.MAPPER.readTree(store.type(new TypeKey("apps", "replicasets")).all().get(0).body());
        String deploymentUid = replicaSet.path("metadata").path("ownerReferences").get(0).path("uid").asString();
        assertThat(store.uids("apps", "deployments")).contains(deploymentUid);
    }

    @Test
    void podsCarrySensitiveValuesAndSomeCarryManagedFields() {
        List<JsonNode> pods = store.type(new TypeKey("", "pods")).all().stream()
                .map(pod -> Json.MAPPER.readTree(pod.body())).toList();
        JsonNode container = pods.get(0).path("spec").path("containers").get(0);
        assertThat(container.path("env").findValuesAsString("name")).contains("DB_PASSWORD", "DB_USER");
        assertThat(container.path("args").toString()).contains("--db-password=fake-");
        assertThat(pods.get(0).path("status").path("podIP").asString()).startsWith("10.244.");
        assertThat(pods).anySatisfy(pod -> assertThat(pod.path("metadata").has("managedFields")).isTrue());
        assertThat(pods).anySatisfy(pod -> assertThat(pod.path("metadata").has("managedFields")).isFalse());
    }

    @Test
    void statefulSetClaimsAreBoundToVolumes() {
        StoredObject claim = store.type(new TypeKey("", "persistentvolumeclaims")).all().get(0);
        assertThat(claim.name()).matches("data-db-\\d+-\\d");
        String volume = Json.MAPPER.readTree(claim.body()).path("spec").path("volumeName").asString();
        JsonNode bound = store.get("", "persistentvolumes", null, volume).orElseThrow();
        assertThat(bound.path("spec").path("claimRef").path("uid").asString()).isEqualTo(claim.uid());
    }

    @Test
    void helmReleaseSecretsDecodeToTheReleaseAsHelmStoresIt() throws IOException {
        JsonNode secret = store.get("", "secrets", "shop", "sh.helm.release.v1.storefront.v3").orElseThrow();
        assertThat(secret.path("type").asString()).isEqualTo("helm.sh/release.v1");
        assertThat(secret.path("metadata").path("labels").path("status").asString()).isEqualTo("deployed");
        byte[] helmString = Base64.getDecoder().decode(secret.path("data").path("release").asString());
        JsonNode release = gunzip(Base64.getDecoder().decode(helmString));
        assertThat(release.path("name").asString()).isEqualTo("storefront");
        assertThat(release.path("version").asInt()).isEqualTo(3);
        assertThat(release.path("chart").path("metadata").path("version").asString()).isEqualTo("1.4.3");
        assertThat(release.path("manifest").asString()).contains("kind: Deployment");
        JsonNode older = store.get("", "secrets", "shop", "sh.helm.release.v1.storefront.v1").orElseThrow();
        assertThat(older.path("metadata").path("labels").path("status").asString()).isEqualTo("superseded");

        JsonNode config = store.get("", "configmaps", "shop", "sh.helm.release.v1.legacy-cache.v2").orElseThrow();
        JsonNode stored = gunzip(Base64.getDecoder().decode(config.path("data").path("release").asString()));
        assertThat(stored.path("info").path("status").asString()).isEqualTo("deployed");
    }

    @Test
    void argoApplicationsDescribeTheirHelmSource() {
        JsonNode app = store.get("argoproj.io", "applications", "argocd", "shop-frontend").orElseThrow();
        assertThat(app.path("spec").path("source").path("chart").asString()).isEqualTo("shop-frontend");
        assertThat(app.path("status").path("sourceType").asString()).isEqualTo("Helm");
        assertThat(app.path("status").path("history")).isNotEmpty();
    }

    @Test
    void metricsCoverEveryPodAndNode() {
        assertThat(store.count("metrics.k8s.io", "pods")).isEqualTo(store.count("", "pods"));
        assertThat(store.count("metrics.k8s.io", "nodes")).isEqualTo(store.count("", "nodes"));
    }

    @Test
    void applicationNamespacesHaveIngressesAutoscalersAndBudgets() {
        for (String namespace : ClusterGenerator.appNamespaces(ClusterSpec.builder().build())) {
            for (String[] type : new String[][] {{"networking.k8s.io", "ingresses"},
                    {"autoscaling", "horizontalpodautoscalers"}, {"policy", "poddisruptionbudgets"}}) {
                assertThat(store.type(new TypeKey(type[0], type[1])).all())
                        .anySatisfy(object -> assertThat(object.namespace()).isEqualTo(namespace));
            }
        }
    }

    @Test
    void eventsAreServedByBothEventApisWithTheSameUids() {
        assertThat(store.uids("events.k8s.io", "events")).isNotEmpty().isEqualTo(store.uids("", "events"));
    }

    private static ObjectStore generated(ClusterSpec spec) {
        ObjectStore generated = new ObjectStore(new Catalog());
        new ClusterGenerator(spec).populate(generated);
        return generated;
    }

    private static JsonNode gunzip(byte[] gzip) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return Json.MAPPER.readTree(in.readAllBytes());
        }
    }
}
