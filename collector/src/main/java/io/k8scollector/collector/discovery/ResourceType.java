package io.k8scollector.collector.discovery;

import java.util.List;

/**
 * A resource type the API server serves, at the one version the collector lists it by.
 *
 * @param group the API group, empty for the core group
 * @param resource the plural resource name, as in the URL ({@code deployments})
 * @param verbs the verbs discovery reported
 */
public record ResourceType(
        String group, String version, String kind, String resource, boolean namespaced, List<String> verbs) {

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

    /** Built in to Kubernetes: the core group, a group without a dot, or one ending in {@code .k8s.io}. */
    public boolean builtIn() {
        return group.isEmpty() || !group.contains(".") || group.endsWith(".k8s.io");
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
