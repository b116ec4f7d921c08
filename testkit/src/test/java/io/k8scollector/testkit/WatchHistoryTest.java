package io.k8scollector.testkit;

import static io.k8scollector.testkit.KubeObjects.object;
import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.catalog.Catalog;
import io.k8scollector.testkit.catalog.TypeKey;
import io.k8scollector.testkit.store.ObjectStore;
import io.k8scollector.testkit.store.WatchEvent;
import io.k8scollector.testkit.store.WatchHistory;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class WatchHistoryTest {

    private static final TypeKey CONFIGMAPS = new TypeKey("", "configmaps");

    private final ObjectStore store = new ObjectStore(new Catalog(), 3);

    @Test
    void everyChangeTakesTheNextRevisionOfTheWholeStore() throws InterruptedException {
        long start = store.resourceVersion();
        store.put(configMap("a", "x"));
        store.put(object("v1", "Namespace", null, "spare"));
        store.put(configMap("a", "y"));
        store.delete("", "configmaps", "shop", "a");
        assertThat(store.resourceVersion()).isEqualTo(start + 4);
        List<WatchEvent> events = history().after(start, 10, 0).events();
        assertThat(events).extracting(WatchEvent::type)
                .containsExactly(WatchEvent.Type.ADDED, WatchEvent.Type.MODIFIED, WatchEvent.Type.DELETED);
        assertThat(events).extracting(WatchEvent::revision).containsExactly(start + 1, start + 3, start + 4);
        assertThat(Json.MAPPER.readTree(events.get(2).object().body()).path("metadata").path("resourceVersion")
                .asString()).isEqualTo(Long.toString(start + 4));
        assertThat(events.get(1).previous()).isSameAs(events.get(0).object());
    }

    @Test
    void aRevisionOlderThanTheKeptEventsIsGone() throws InterruptedException {
        long start = store.resourceVersion();
        for (int i = 0; i < 5; i++) {
            store.put(configMap("c" + i, "x"));
        }
        assertThat(history().after(start, 10, 0).gone()).isTrue();
        assertThat(history().after(start + 2, 10, 0).events()).hasSize(3);
    }

    @Test
    void compactionForgetsEveryChangeSoFar() throws InterruptedException {
        long start = store.resourceVersion();
        store.put(configMap("a", "x"));
        store.compact();
        store.put(configMap("a", "y"));
        assertThat(history().after(start, 10, 0).gone()).isTrue();
        assertThat(history().after(start + 1, 10, 0).events()).extracting(WatchEvent::revision)
                .containsExactly(start + 2);
    }

    @Test
    void deletingANamespaceReportsEachObjectInIt() throws InterruptedException {
        store.put(object("v1", "Namespace", null, "shop"));
        store.put(configMap("a", "x"));
        store.put(configMap("b", "x"));
        long before = store.resourceVersion();
        store.delete("", "namespaces", null, "shop");
        assertThat(history().after(before, 10, 0).events()).extracting(e -> e.type() + " " + e.object().name())
                .containsExactly("DELETED a", "DELETED b");
    }

    @Test
    void watchesFromTheCurrentStateShareOneSnapshotOfTheStore() {
        store.put(configMap("a", "x"));
        store.put(configMap("b", "x"));
        ObjectStore.Snapshot first = store.snapshot(CONFIGMAPS);
        ObjectStore.Snapshot second = store.snapshot(CONFIGMAPS);
        assertThat(second.objects()).isSameAs(first.objects()).hasSize(2);
        assertThat(second.revision()).isEqualTo(store.resourceVersion());
        store.put(configMap("c", "x"));
        assertThat(store.snapshot(CONFIGMAPS).objects()).hasSize(3);
        assertThat(first.objects()).hasSize(2);
    }

    private WatchHistory history() {
        return store.type(CONFIGMAPS).history();
    }

    private static ObjectNode configMap(String name, String value) {
        ObjectNode map = object("v1", "ConfigMap", "shop", name);
        map.putObject("data").put("value", value);
        return map;
    }
}
