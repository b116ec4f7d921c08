package io.k8scollector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class ChartRbacTest {

    /** The one object the collector reads by name: its uid is the cluster's unique id. */
    private static final ApiRequest KUBE_SYSTEM = ApiRequest.get("/api/v1/namespaces/kube-system");

    /** Reads that reach past the inventory: logs, the kubelet, proxied services, one Secret or Namespace. */
    private static final List<ApiRequest> NEVER_ALLOWED = List.of(
            ApiRequest.get("/api/v1/namespaces/shop/pods/web-1/log"),
            ApiRequest.get("/api/v1/nodes/node-1/proxy"),
            ApiRequest.get("/api/v1/nodes/node-1/proxy/configz"),
            ApiRequest.get("/api/v1/namespaces/shop/services/web:80/proxy"),
            ApiRequest.get("/api/v1/namespaces/shop/pods/web-1/exec"),
            ApiRequest.get("/api/v1/namespaces/shop/secrets/db-password"),
            ApiRequest.get("/api/v1/namespaces/shop/configmaps/settings"),
            ApiRequest.get("/api/v1/namespaces/default"),
            ApiRequest.get("/api/v1/namespaces/kube-system/status"),
            ApiRequest.get("/apis/apps/v1/namespaces/shop/deployments/web/scale"),
            ApiRequest.get("/apis/apps/v1/namespaces/shop/deployments/web"),
            ApiRequest.get("/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/shop"),
            ApiRequest.get("/version"),
            ApiRequest.get("/apis"));

    @TempDir
    Path home;

    /** Value sets that change what the ClusterRole says: each RBAC-related value, and combinations. */
    static Stream<String> valueSets() {
        List<String> sets = new ArrayList<>(List.of(ValueSets.REQUIRED, ValueSets.NON_DEFAULT));
        List<String> typeChanges = List.of(
                "",
                "addTypes: [secrets, events.events.k8s.io, applications.argoproj.io, pods, widgets.example.test]\n",
                "removeTypes: [\"*.apps\", \"*.k8s.io\", configmaps, namespaces]\n",
                "addTypes: [secrets]\nremoveTypes: [secrets, pods, \"*.argoproj.io\"]\n");
        for (boolean fetchEverything : List.of(true, false)) {
            for (boolean helmReleases : List.of(true, false)) {
                for (boolean collectSecrets : List.of(true, false)) {
                    for (String types : typeChanges) {
                        sets.add(ValueSets.REQUIRED + "fetchEverything: " + fetchEverything + "\nhelmReleases: "
                                + helmReleases + "\ncollectSecrets: " + collectSecrets + "\n" + types);
                    }
                }
            }
        }
        sets.add(ValueSets.REQUIRED + "watchNamespace: shop\nclusterRole: {name: reader}\nsecrets: keep\n");
        return sets.stream();
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void noRuleGrantsGetBeyondTheKubeSystemNamespaceNorAnySubresource(String values) {
        Manifests manifests = new Helm(home).render(values);
        List<JsonNode> roles = new ArrayList<>(manifests.ofKind("ClusterRole"));
        roles.addAll(manifests.ofKind("Role"));

        assertThat(roles).hasSize(1);
        for (JsonNode role : roles) {
            JsonNode rules = role.path("rules");
            assertThat(rules.size()).isPositive();
            rules.forEach(rule -> {
                List<String> verbs = Manifests.strings(rule.path("verbs"));
                List<String> resources = Manifests.strings(rule.path("resources"));
                assertThat(verbs).as("verbs of %s", rule).isNotEmpty().isSubsetOf("get", "list", "watch");
                assertThat(resources).as("resources of %s", rule).isNotEmpty().noneMatch(r -> r.contains("/"));
                assertThat(rule.has("nonResourceURLs")).as("nonResourceURLs in %s", rule).isFalse();
                if (verbs.contains("get") || rule.has("resourceNames")) {
                    assertThat(PolicyRules.Rule.of(rule)).as("the one rule with get")
                            .isEqualTo(new PolicyRules.Rule(List.of("get"), List.of(""), List.of("namespaces"),
                                    List.of("kube-system"), List.of()));
                }
            });
            PolicyRules policy = PolicyRules.of(role);
            assertThat(policy.allows(KUBE_SYSTEM)).isTrue();
            assertThat(NEVER_ALLOWED).noneMatch(policy::allows);
        }
        assertThat(manifests.ofKind("RoleBinding")).isEmpty();
        assertThat(manifests.one("ClusterRoleBinding").path("roleRef").path("name").asString())
                .isEqualTo(manifests.one("ClusterRole").path("metadata").path("name").asString());
    }

    @Test
    void fetchEverythingListsAndWatchesEveryTypeOfEveryGroupAndGetsOnlyKubeSystem() {
        JsonNode role = new Helm(home).render(ValueSets.REQUIRED).one("ClusterRole");
        PolicyRules policy = PolicyRules.of(role);

        assertThat(Manifests.strings(role.path("rules").get(0).path("apiGroups"))).containsExactly("*");
        assertThat(Manifests.strings(role.path("rules").get(0).path("resources"))).containsExactly("*");
        assertThat(Manifests.strings(role.path("rules").get(0).path("verbs"))).containsExactly("list", "watch");
        for (String collection : List.of("/api/v1/pods", "/api/v1/secrets", "/api/v1/namespaces/shop/configmaps",
                "/apis/apps/v1/deployments", "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications")) {
            assertThat(policy.allows(ApiRequest.get(collection))).as(collection).isTrue();
            assertThat(policy.allows(ApiRequest.get(collection).withVerb("watch"))).as(collection).isTrue();
        }
        assertThat(role.path("rules").size()).isEqualTo(2);
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
    void selectedTypesAreExactlyWhatTheClusterRoleLetsTheCollectorListAndWatch() {
        Manifests manifests = new Helm(home).render(ValueSets.NON_DEFAULT);
        JsonNode role = manifests.one("ClusterRole");
        Set<String> selected = new TreeSet<>(manifests.configLines("collector.resources"));

        assertThat(granted(role, "list")).isEqualTo(selected);
        assertThat(granted(role, "watch")).isEqualTo(selected);
        assertThat(granted(role, "get")).containsExactly("namespaces");
    }

    @Test
    void helmStorageIsListedAndWatchedInEveryNamespaceButNeverReadByName() {
        Manifests manifests = new Helm(home).render(ValueSets.REQUIRED + """
                fetchEverything: false
                removeTypes: [namespaces, configmaps]
                """);
        PolicyRules policy = PolicyRules.of(manifests.one("ClusterRole"));

        assertThat(granted(manifests.one("ClusterRole"), "list")).contains("secrets", "configmaps")
                .doesNotContain("namespaces");
        assertThat(policy.allows(ApiRequest.get("/api/v1/secrets"))).isTrue();
        assertThat(policy.allows(ApiRequest.get("/api/v1/namespaces/shop/secrets").withVerb("watch"))).isTrue();
        assertThat(policy.allows(ApiRequest.get("/api/v1/namespaces/shop/secrets/sh.helm.release.v1.shop.v7")))
                .isFalse();
        assertThat(policy.allows(ApiRequest.get("/api/v1/namespaces"))).isFalse();
    }

    @Test
    void withoutHelmReleasesSecretsAreNotReadable() {
        JsonNode role = new Helm(home).render(ValueSets.REQUIRED + """
                fetchEverything: false
                helmReleases: false
                """).one("ClusterRole");

        assertThat(granted(role, "list")).doesNotContain("secrets").contains("configmaps", "namespaces");
        assertThat(PolicyRules.of(role).allows(ApiRequest.get("/api/v1/secrets"))).isFalse();
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
