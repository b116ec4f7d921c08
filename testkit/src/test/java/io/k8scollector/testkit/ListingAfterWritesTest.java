package io.k8scollector.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Lists serve pages they have served before from memory; none of them may be older than the last write. */
class ListingAfterWritesTest {

    @RegisterExtension
    static final RunningCluster running = new RunningCluster(ClusterSpec.builder().pods(20).seed(3).build());

    @Test
    void aRepeatedPageIsTheSameBytesWithItsMetadataBeforeItsItems() {
        String namespace = "repeated";
        putConfigMaps(namespace, 5);
        byte[] first = running.client().get(configMaps(namespace) + "?limit=2").body();
        byte[] again = running.client().get(configMaps(namespace) + "?limit=2").body();
        assertThat(again).isEqualTo(first);
        String text = new String(first, StandardCharsets.UTF_8);
        assertThat(text.indexOf("\"continue\"")).isPositive().isLessThan(text.indexOf("\"items\""));
        assertThat(text.indexOf("\"resourceVersion\"")).isLessThan(text.indexOf("\"items\""));
    }

    @Test
    void aContinuedPageShowsChangesMadeAfterItWasServed() {
        String namespace = "continued";
        putConfigMaps(namespace, 5);
        String token = page(namespace, "").path("metadata").path("continue").asString();
        String next = "&continue=" + token;
        assertThat(names(page(namespace, next))).containsExactly("cm-2", "cm-3");

        running.cluster().store().put(configMap(namespace, "cm-2", "changed"));
        JsonNode changed = page(namespace, next);
        assertThat(changed.path("items").get(0).path("data").path("value").asString()).isEqualTo("changed");

        running.cluster().store().delete("", "configmaps", namespace, "cm-3");
        assertThat(names(page(namespace, next))).containsExactly("cm-2", "cm-4");
    }

    @Test
    void aFirstPageShowsAnObjectAddedAfterItWasServedAndTheNewResourceVersion() {
        String namespace = "added";
        putConfigMaps(namespace, 3);
        JsonNode before = page(namespace, "");
        running.cluster().store().put(configMap(namespace, "cm-0a", "new"));
        JsonNode after = page(namespace, "");
        assertThat(names(after)).containsExactly("cm-0", "cm-0a");
        assertThat(after.path("metadata").path("resourceVersion").asLong())
                .isGreaterThan(before.path("metadata").path("resourceVersion").asLong())
                .isEqualTo(running.cluster().store().resourceVersion());
    }

    @Test
    void aWriteToAnotherTypeMovesTheResourceVersionOfAFreshList() {
        String namespace = "elsewhere";
        putConfigMaps(namespace, 3);
        page(namespace, "");
        running.cluster().store().put(KubeObjects.object("v1", "Secret", namespace, "unrelated"));
        assertThat(page(namespace, "").path("metadata").path("resourceVersion").asLong())
                .isEqualTo(running.cluster().store().resourceVersion());
    }

    @Test
    void aSelectedPageFollowsALabelChange() {
        String namespace = "selected";
        putConfigMaps(namespace, 3);
        String selected = configMaps(namespace) + "?limit=10&labelSelector=tier%3Dcache";
        assertThat(names(running.client().json(selected))).isEmpty();
        ObjectNode labelled = configMap(namespace, "cm-1", "value-1");
        labelled.withObjectProperty("metadata").putObject("labels").put("tier", "cache");
        running.cluster().store().put(labelled);
        assertThat(names(running.client().json(selected))).containsExactly("cm-1");
    }

    @Test
    void aPageReadAfterAWriteReturnsNeverShowsTheObjectAsItWasBefore() throws Exception {
        String namespace = "racing";
        putConfigMaps(namespace, 3);
        ExecutorService readers = Executors.newFixedThreadPool(2);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            // Readers keep assembling and caching the page while the writer changes it.
            List<Future<?>> reading = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                reading.add(readers.submit(() -> {
                    while (writing.get()) {
                        page(namespace, "");
                    }
                }));
            }
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int write = 1; write <= 100; write++) {
                    running.cluster().store().put(configMap(namespace, "cm-0", Integer.toString(write)));
                    assertThat(page(namespace, "").path("items").get(0).path("data").path("value").asString())
                            .as("the page read after write %d", write).isEqualTo(Integer.toString(write));
                }
                writing.set(false);
                for (Future<?> reader : reading) {
                    reader.get();
                }
            });
        } finally {
            writing.set(false);
            readers.shutdownNow();
        }
    }

    private static void putConfigMaps(String namespace, int count) {
        for (int i = 0; i < count; i++) {
            running.cluster().store().put(configMap(namespace, "cm-" + i, "value-" + i));
        }
    }

    private static ObjectNode configMap(String namespace, String name, String value) {
        ObjectNode object = KubeObjects.object("v1", "ConfigMap", namespace, name);
        object.putObject("data").put("value", value);
        return object;
    }

    private static JsonNode page(String namespace, String continuation) {
        return running.client().json(configMaps(namespace) + "?limit=2" + continuation);
    }

    private static String configMaps(String namespace) {
        return "/api/v1/namespaces/" + namespace + "/configmaps";
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.path("items").forEach(item -> names.add(item.path("metadata").path("name").asString()));
        return names;
    }
}
