package io.k8scollector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class ChartRbacTest {

    private static final Set<String> READ_VERBS = Set.of("get", "list", "watch");

    @TempDir
    Path home;

    static Stream<String> valueSets() {
        return Stream.of(
                ValueSets.REQUIRED,
                ValueSets.NON_DEFAULT,
                ValueSets.REQUIRED + "fetchEverything: false\n",
                ValueSets.REQUIRED + "fetchEverything: false\nhelmReleases: false\nremoveTypes: [\"*.apps\", \"*.k8s.io\"]\n",
                ValueSets.REQUIRED + "fetchEverything: false\ncollectSecrets: true\naddTypes: [events.events.k8s.io, "
                        + "applications.argoproj.io, pods]\n",
                ValueSets.REQUIRED + "fetchEverything: true\naddTypes: [secrets]\nremoveTypes: [pods, \"*.apps\"]\n");
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void rulesNeverGrantMoreThanGetListAndWatch(String values) {
        Manifests manifests = new Helm(home).render(values);

        assertThat(manifests.ofKind("Role")).isEmpty();
        assertThat(manifests.ofKind("RoleBinding")).isEmpty();
        JsonNode rules = manifests.one("ClusterRole").path("rules");
        assertThat(rules.size()).isPositive();
        rules.forEach(rule -> {
            assertThat(Manifests.strings(rule.path("verbs"))).isNotEmpty().isSubsetOf(READ_VERBS);
            assertThat(rule.has("nonResourceURLs")).isFalse();
        });
        assertThat(manifests.one("ClusterRoleBinding").path("roleRef").path("name").asString())
                .isEqualTo(manifests.one("ClusterRole").path("metadata").path("name").asString());
    }

    @Test
    void fetchEverythingReadsEveryResourceOfEveryGroup() {
        JsonNode rules = new Helm(home).render(ValueSets.REQUIRED).one("ClusterRole").path("rules");

        assertThat(rules.size()).isEqualTo(1);
        assertThat(Manifests.strings(rules.get(0).path("apiGroups"))).containsExactly("*");
        assertThat(Manifests.strings(rules.get(0).path("resources"))).containsExactly("*");
        assertThat(Manifests.strings(rules.get(0).path("verbs"))).containsExactlyInAnyOrder("get", "list", "watch");
    }

    @Test
    void addedAndRemovedTypesReachBothTheConfigMapAndTheClusterRole() {
        Manifests manifests = new Helm(home).render(ValueSets.REQUIRED + """
                fetchEverything: false
                helmReleases: false
                addTypes: [applications.argoproj.io, secrets]
                removeTypes: [configmaps, rollouts.argoproj.io, "*.flowcontrol.apiserver.k8s.io", widgets.example.test]
                """);
        Set<String> granted = granted(manifests.one("ClusterRole"), "list");

        assertThat(manifests.configLines("collector.resources"))
                .contains("applications.argoproj.io", "secrets", "pods")
                .doesNotContain("configmaps", "rollouts.argoproj.io", "flowschemas.flowcontrol.apiserver.k8s.io",
                        "prioritylevelconfigurations.flowcontrol.apiserver.k8s.io");
        assertThat(granted).contains("applications.argoproj.io", "secrets", "pods")
                .doesNotContain("configmaps", "rollouts.argoproj.io", "flowschemas.flowcontrol.apiserver.k8s.io");
        // a custom resource is listed unless excluded, so taking it off the list is not enough
        assertThat(manifests.configLines("collector.excludeResources"))
                .containsExactly("rollouts.argoproj.io", "*.flowcontrol.apiserver.k8s.io", "widgets.example.test");
    }

    @Test
    void selectedTypesAreExactlyWhatTheClusterRoleLetsTheCollectorList() {
        Manifests manifests = new Helm(home).render(ValueSets.NON_DEFAULT);

        assertThat(granted(manifests.one("ClusterRole"), "list"))
                .isEqualTo(new TreeSet<>(manifests.configLines("collector.resources")));
        assertThat(granted(manifests.one("ClusterRole"), "watch"))
                .isEqualTo(new TreeSet<>(manifests.configLines("collector.resources")));
    }

    @Test
    void selectedTypesAlsoGetNamespacesAndHelmStorage() {
        Manifests manifests = new Helm(home).render(ValueSets.REQUIRED + """
                fetchEverything: false
                removeTypes: [namespaces, configmaps]
                """);
        JsonNode role = manifests.one("ClusterRole");

        assertThat(granted(role, "get")).contains("namespaces", "secrets", "configmaps");
        assertThat(granted(role, "list")).contains("secrets", "configmaps").doesNotContain("namespaces");
        assertThat(granted(role, "watch")).doesNotContain("namespaces", "secrets", "configmaps");
    }

    @Test
    void withoutHelmReleasesSecretsAreNotReadable() {
        JsonNode role = new Helm(home).render(ValueSets.REQUIRED + """
                fetchEverything: false
                helmReleases: false
                """).one("ClusterRole");

        assertThat(granted(role, "get")).doesNotContain("secrets").contains("configmaps", "namespaces");
    }

    @Test
    void removingEveryTypeIsRefusedRatherThanFallingBackToTheDefaults() {
        Command.Result result = new Helm(home).template(ValueSets.REQUIRED + "fetchEverything: false\nremoveTypes: [\"*\"]\n");

        assertThat(result.succeeded()).isFalse();
        assertThat(result.stderr()).contains("removeTypes leaves no resource type to collect");
    }

    /** The types this role grants {@code verb} on, as the chart's list spells them. */
    private static Set<String> granted(JsonNode clusterRole, String verb) {
        Set<String> types = new TreeSet<>();
        clusterRole.path("rules").forEach(rule -> {
            if (!Manifests.strings(rule.path("verbs")).contains(verb)) {
                return;
            }
            for (String group : Manifests.strings(rule.path("apiGroups"))) {
                for (String resource : Manifests.strings(rule.path("resources"))) {
                    types.add(group.isEmpty() ? resource : resource + "." + group);
                }
            }
        });
        return types;
    }
}
