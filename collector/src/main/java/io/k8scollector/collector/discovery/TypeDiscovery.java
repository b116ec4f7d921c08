package io.k8scollector.collector.discovery;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k8scollector.collector.CollectorException;
import io.k8scollector.protocol.Skipped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds every resource type the API server serves, as kubectl's preferred-resources discovery
 * does: for each resource, the group's preferred version if it serves the resource, else the
 * newest other version that does. Subresources ({@code pods/status}) are not types. A group whose
 * discovery fails (a dead aggregated API such as {@code metrics.k8s.io} answering 503) is logged
 * once and skipped as a whole; the rest goes on. Only the core group and the group list are
 * essential: their failure fails the run.
 */
public final class TypeDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(TypeDiscovery.class);

    private final ApiServer server;
    private final TypeSelection selection;

    public TypeDiscovery(ApiServer server, TypeSelection selection) {
        this.server = server;
        this.selection = selection;
    }

    /**
     * Discovers and selects.
     *
     * @throws CollectorException when the core group or the list of groups cannot be read
     */
    public Catalog discover() {
        KubernetesClient client = server.client();
        List<ResourceType> served = new ArrayList<>(types("", "v1", essential("/api/v1", () -> client.getApiResources("v1"))));
        List<Skipped> skippedGroups = new ArrayList<>();
        APIGroupList groups = essential("/apis", client::getApiGroups);
        for (APIGroup group : groups.getGroups()) {
            try {
                served.addAll(group(client, group));
            } catch (GroupFailure failure) {
                LOG.warn("Discovery of API group {} failed at {}: {}; its types are skipped.",
                        group.getName(), failure.version, failure.reason);
                skippedGroups.add(Skipped.group(group.getName(), failure.version, Skipped.Reason.DISCOVERY_FAILED,
                        "Discovery of " + group.getName() + "/" + failure.version + " failed: " + failure.reason + "."));
            }
        }
        Set<ResourceType> chosen = selection.select(served);
        List<ResourceType> selected = served.stream().filter(chosen::contains).toList();
        LOG.info("Discovered {} types, {} selected for listing; {} groups skipped.",
                served.size(), selected.size(), skippedGroups.size());
        return new Catalog(served, selected, skippedGroups);
    }

    private List<ResourceType> group(KubernetesClient client, APIGroup group) {
        String preferred = group.getPreferredVersion() == null ? null : group.getPreferredVersion().getVersion();
        List<String> versions = new ArrayList<>(group.getVersions().stream().map(GroupVersionForDiscovery::getVersion).toList());
        versions.sort(KubeVersions.NEWEST_FIRST);
        if (preferred != null && versions.remove(preferred)) {
            versions.add(0, preferred);
        }
        Map<String, ResourceType> byResource = new LinkedHashMap<>();
        for (String version : versions) {
            APIResourceList list;
            try {
                list = client.getApiResources(group.getName() + "/" + version);
            } catch (KubernetesClientException e) {
                throw new GroupFailure(version, ApiServer.reason(e));
            }
            if (list == null) {
                throw new GroupFailure(version, "HTTP 404");
            }
            for (ResourceType type : types(group.getName(), version, list)) {
                byResource.putIfAbsent(type.resource(), type);
            }
        }
        return List.copyOf(byResource.values());
    }

    private static List<ResourceType> types(String group, String version, APIResourceList list) {
        List<ResourceType> types = new ArrayList<>();
        for (APIResource resource : list.getResources()) {
            if (resource.getName().contains("/")) {
                continue;
            }
            types.add(new ResourceType(group, version, resource.getKind(), resource.getName(),
                    Boolean.TRUE.equals(resource.getNamespaced()), resource.getVerbs()));
        }
        return types;
    }

    private <T> T essential(String path, java.util.function.Supplier<T> call) {
        T answer;
        try {
            answer = call.get();
        } catch (KubernetesClientException e) {
            throw new CollectorException("Discovery failed at " + server.base() + path + ": " + ApiServer.reason(e) + ".", e);
        }
        if (answer == null) {
            throw new CollectorException("Discovery failed at " + server.base() + path + ": HTTP 404.");
        }
        return answer;
    }

    /** A group version whose discovery answered an error. */
    private static final class GroupFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient String version;
        private final transient String reason;

        GroupFailure(String version, String reason) {
            super(null, null, false, false);
            this.version = version;
            this.reason = reason;
        }
    }
}
