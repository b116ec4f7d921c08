package io.k8scollector.testkit;

import static io.k8scollector.testkit.KubeObjects.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.catalog.Catalog;
import io.k8scollector.testkit.store.ObjectStore;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ObjectStoreTest {

    private final ObjectStore store = new ObjectStore(new Catalog());

    @Test
    void putFillsMissingMetadataAndAdvancesTheResourceVersion() {
        store.put(object("v1", "ConfigMap", "shop", "settings"));
        JsonNode first = store.get("", "configmaps", "shop", "settings").orElseThrow();
        assertThat(first.path("metadata").path("uid").asString()).hasSize(36);
        assertThat(first.path("metadata").path("creationTimestamp").asString()).endsWith("Z");
        ObjectNode changed = (ObjectNode) first.deepCopy();
        changed.putObject("data").put("mode", "fast");
        store.put(changed);
        JsonNode second = store.get("", "configmaps", "shop", "settings").orElseThrow();
        assertThat(second.path("metadata").path("uid")).isEqualTo(first.path("metadata").path("uid"));
        assertThat(second.path("metadata").path("resourceVersion").asLong())
                .isGreaterThan(first.path("metadata").path("resourceVersion").asLong());
        assertThat(second.path("data").path("mode").asString()).isEqualTo("fast");
        assertThat(store.count("", "configmaps")).isEqualTo(1);
    }

    @Test
    void replacingAnObjectWithoutItsUidKeepsItsIdentity() {
        store.put(object("v1", "ConfigMap", "shop", "settings"));
        JsonNode first = store.get("", "configmaps", "shop", "settings").orElseThrow();
        store.put(object("v1", "ConfigMap", "shop", "settings"));
        JsonNode second = store.get("", "configmaps", "shop", "settings").orElseThrow();
        assertThat(second.path("metadata").path("uid")).isEqualTo(first.path("metadata").path("uid"));
        assertThat(second.path("metadata").path("creationTimestamp"))
                .isEqualTo(first.path("metadata").path("creationTimestamp"));
    }

    @Test
    void deleteRemovesOneObject() {
        store.put(object("v1", "Namespace", null, "gone"));
        assertThat(store.delete("", "namespaces", null, "gone")).isTrue();
        assertThat(store.delete("", "namespaces", null, "gone")).isFalse();
        assertThat(store.get("", "namespaces", null, "gone")).isEmpty();
    }

    @Test
    void deletingANamespaceDeletesWhatIsInIt() {
        store.put(object("v1", "Namespace", null, "doomed"));
        store.put(object("v1", "ConfigMap", "doomed", "settings"));
        store.put(object("v1", "Pod", "doomed", "web"));
        store.put(object("v1", "ConfigMap", "doomed-not", "settings"));
        store.delete("", "namespaces", null, "doomed");
        assertThat(store.get("", "configmaps", "doomed", "settings")).isEmpty();
        assertThat(store.get("metrics.k8s.io", "pods", "doomed", "web")).isEmpty();
        assertThat(store.count("", "pods")).isZero();
        assertThat(store.get("", "configmaps", "doomed-not", "settings")).isPresent();
    }

    @Test
    void aStoredDefinitionServesItsTypeUntilDeleted() {
        ObjectNode crd = object("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "things.acme.io");
        ObjectNode spec = crd.putObject("spec");
        spec.put("group", "acme.io");
        spec.put("scope", "Cluster");
        ObjectNode names = spec.putObject("names");
        names.put("plural", "things");
        names.put("kind", "Thing");
        ObjectNode version = spec.putArray("versions").addObject();
        version.put("name", "v2");
        version.put("served", true);
        store.put(crd);
        store.put(object("acme.io/v2", "Thing", null, "one"));
        assertThat(store.catalog().group("acme.io").orElseThrow().preferredVersion()).isEqualTo("v2");
        assertThat(store.get("acme.io", "things", null, "one").orElseThrow().path("apiVersion").asString())
                .isEqualTo("acme.io/v2");
        store.delete("apiextensions.k8s.io", "customresourcedefinitions", null, "things.acme.io");
        assertThat(store.catalog().group("acme.io")).isEmpty();
        assertThat(store.count("acme.io", "things")).isZero();
    }

    @Test
    void podsAndNodesHaveLiveMetricsWithoutUids() {
        ObjectNode pod = object("v1", "Pod", "shop", "web-1");
        pod.putObject("spec").putArray("containers").addObject().put("name", "app");
        store.put(pod);
        store.put(object("v1", "Node", null, "node-9"));
        JsonNode podMetrics = store.get("metrics.k8s.io", "pods", "shop", "web-1").orElseThrow();
        assertThat(podMetrics.path("kind").asString()).isEqualTo("PodMetrics");
        assertThat(podMetrics.path("containers").get(0).path("usage").path("cpu").asString()).endsWith("m");
        assertThat(podMetrics.path("metadata").has("uid")).isFalse();
        assertThat(store.get("metrics.k8s.io", "nodes", null, "node-9").orElseThrow().path("usage").has("memory"))
                .isTrue();
        assertThat(store.uids("metrics.k8s.io", "pods")).isEmpty();
        store.delete("", "pods", "shop", "web-1");
        assertThat(store.get("metrics.k8s.io", "pods", "shop", "web-1")).isEmpty();
    }

    @Test
    void refusesObjectsOfTypesItDoesNotServe() {
        assertThatThrownBy(() -> store.put(object("acme.io/v1", "Unknown", null, "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acme.io/v1").hasMessageContaining("Unknown");
    }
}
