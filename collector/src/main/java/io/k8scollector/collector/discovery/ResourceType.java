package io.k8scollector.collector.discovery;

import java.util.List;
import java.util.Set;

/**
 * A resource type the API server serves, at the one version the collector lists it by.
 *
 * @param group the API group, empty for the core group
 * @param resource the plural resource name, as in the URL ({@code deployments})
 * @param verbs the verbs discovery reported
 */
public record ResourceType(
        String group, String version, String kind, String resource, boolean namespaced, List<String> verbs) {

    /**
     * The groups the Kubernetes project defines and the API server serves itself (with the
     * {@code metrics.k8s.io} family, defined there and served by metrics-server and the metrics
     * adapters). By name, not by a {@code .k8s.io} suffix: projects publish CRDs in groups such as
     * {@code gateway.networking.k8s.io} and {@code snapshot.storage.k8s.io}, and these must be
     * read as custom resources. Whether a type is a CRD is not asked of the cluster, as that would
     * need the right to list CustomResourceDefinitions and would still miss aggregated APIs; a
     * group missing here (one a later Kubernetes adds) is read as custom, which redacts more, not less.
     * {@code extensions} and {@code settings.k8s.io} are left out on purpose: their workloads and
     * PodPresets hold containers at places only the custom-resource walk finds.
     */
    private static final Set<String> BUILT_IN_GROUPS = Set.of(
            "",
            "admissionregistration.k8s.io",
            "apiextensions.k8s.io",
            "apiregistration.k8s.io",
            "apps",
            "authentication.k8s.io",
            "authorization.k8s.io",
            "autoscaling",
            "batch",
            "certificates.k8s.io",
            "coordination.k8s.io",
            "discovery.k8s.io",
            "events.k8s.io",
            "flowcontrol.apiserver.k8s.io",
            "internal.apiserver.k8s.io",
            "networking.k8s.io",
            "node.k8s.io",
            "policy",
            "rbac.authorization.k8s.io",
            "resource.k8s.io",
            "scheduling.k8s.io",
            "storage.k8s.io",
            "storagemigration.k8s.io",
            "metrics.k8s.io",
            "custom.metrics.k8s.io",
            "external.metrics.k8s.io");

    public ResourceType {
        verbs = verbs == null ? List.of() : List.copyOf(verbs);
    }

    /** {@code v1} for the core group, else {@code group/version}. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** Whether the type can be listed (it has the {@code list} verb). */
    public boolean listable() {
        return verbs.contains("list");
    }

    /** Built in to Kubernetes: its group is one of the Kubernetes project's own, listed by name. */
    public boolean builtIn() {
        return BUILT_IN_GROUPS.contains(group);
    }

    /** {@code resource} for the core group, else {@code resource.group}, as configuration names it. */
    public String qualifiedName() {
        return group.isEmpty() ? resource : resource + "." + group;
    }

    /** The collection's URL path, without namespace: {@code /api/v1/pods}, {@code /apis/apps/v1/deployments}. */
    public String listPath() {
        return groupVersionPath() + "/" + resource;
    }

    /** The collection's URL path within one namespace: {@code /api/v1/namespaces/shop/pods}. */
    public String listPath(String namespace) {
        return groupVersionPath() + "/namespaces/" + namespace + "/" + resource;
    }

    private String groupVersionPath() {
        return (group.isEmpty() ? "/api/" : "/apis/" + group + "/") + version;
    }
}
