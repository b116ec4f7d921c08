package io.k8scollector.collector.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceTypeTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "apps", "batch", "policy", "autoscaling", "networking.k8s.io", "rbac.authorization.k8s.io",
            "storage.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "node.k8s.io", "scheduling.k8s.io",
            "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io", "certificates.k8s.io",
            "events.k8s.io", "flowcontrol.apiserver.k8s.io", "resource.k8s.io", "storagemigration.k8s.io",
            "authentication.k8s.io", "authorization.k8s.io", "internal.apiserver.k8s.io", "metrics.k8s.io"})
    void takesTheKubernetesProjectsOwnGroupsAsBuiltIn(String group) {
        assertThat(type(group).builtIn()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway.networking.k8s.io", "snapshot.storage.k8s.io", "policy.networking.k8s.io",
            "cluster.x-k8s.io", "example.sigs.k8s.io", "k8s.io", "argoproj.io", "tekton.dev", "extensions", "settings.k8s.io"})
    void takesLookAlikeGroupsAsCustom(String group) {
        assertThat(type(group).builtIn()).isFalse();
    }

    private static ResourceType type(String group) {
        return new ResourceType(group, "v1", "Thing", "things", true, List.of("list"));
    }
}
