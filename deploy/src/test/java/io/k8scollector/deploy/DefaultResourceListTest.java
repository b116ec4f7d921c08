package io.k8scollector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.config.DefaultResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The chart and the collector read one default resource list, charts/k8s-collector/files/
 * default-resources.txt; these tests fail when the chart renders anything else from it.
 */
class DefaultResourceListTest {

    @TempDir
    Path home;

    @Test
    void theConfigMapListsExactlyTheFilesEntriesInOrder() throws IOException {
        Manifests manifests = new Helm(home).render(ValueSets.REQUIRED);

        assertThat(manifests.configLines("collector.resources")).isEqualTo(entries());
    }

    @Test
    void theClusterRoleGrantsExactlyTheFilesEntriesWhenNotFetchingEverything() throws IOException {
        Manifests manifests = new Helm(home).render(ValueSets.REQUIRED + "fetchEverything: false\nhelmReleases: false\n");
        Set<String> listable = new TreeSet<>();
        for (JsonNode rule : manifests.one("ClusterRole").path("rules")) {
            if (Manifests.strings(rule.path("verbs")).contains("list")) {
                String group = rule.path("apiGroups").get(0).asString();
                Manifests.strings(rule.path("resources"))
                        .forEach(r -> listable.add(group.isEmpty() ? r : r + "." + group));
            }
        }

        assertThat(listable).isEqualTo(new TreeSet<>(entries()));
    }

    @Test
    void theCollectorsJarEmbedsTheSameList() throws IOException {
        assertThat(DefaultResources.names()).isEqualTo(entries());
    }

    @Test
    void theFileHasEntriesAndNoDuplicates() throws IOException {
        List<String> entries = entries();

        assertThat(entries).hasSizeGreaterThan(20).doesNotHaveDuplicates().contains("pods", "deployments.apps");
    }

    /** The file's entries as the collector reads them: trimmed lines, blanks and # comments left out. */
    private static List<String> entries() throws IOException {
        return Files.readAllLines(ProjectFiles.defaultResourcesFile()).stream()
                .map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }
}
