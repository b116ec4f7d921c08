package io.k8scollector.collector.enrichment;

import io.k8scollector.protocol.HelmRelease.ResourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectReader;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The objects a release's rendered manifest holds: one reference per YAML document (and per item
 * of a {@code List} document). A document without a namespace is in the release's namespace,
 * unless its kind is one of the cluster-scoped kinds named here; a custom kind is assumed to be
 * namespaced, since the manifest alone cannot say.
 */
final class HelmManifest {

    /** Built-in cluster-scoped kinds, and those of widespread add-ons (cert-manager, Gatekeeper...). */
    static final Set<String> CLUSTER_SCOPED_KINDS = Set.of(
            "Namespace", "Node", "PersistentVolume", "StorageClass", "CSIDriver", "CSINode", "VolumeAttachment",
            "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "APIService", "PriorityClass",
            "PriorityLevelConfiguration", "FlowSchema", "RuntimeClass", "IngressClass", "PodSecurityPolicy",
            "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
            "CertificateSigningRequest", "ComponentStatus", "VolumeSnapshotClass", "VolumeSnapshotContent",
            "ClusterIssuer", "ConstraintTemplate", "GatewayClass", "DeviceClass", "ClusterTrustBundle",
            "StorageVersionMigration");

    private static final ObjectReader DOCUMENTS = YAMLMapper.builder().build().readerFor(JsonNode.class);

    private HelmManifest() {}

    /**
     * The references in {@code manifest}, defaulting namespaces to {@code releaseNamespace}.
     *
     * @throws tools.jackson.core.JacksonException when the YAML cannot be read
     */
    static List<ResourceRef> resources(String manifest, String releaseNamespace) {
        List<ResourceRef> refs = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = DOCUMENTS.readValues(manifest)) {
            while (documents.hasNextValue()) {
                JsonNode document = documents.nextValue();
                if (document != null && document.isObject()) {
                    add(document, releaseNamespace, refs);
                }
            }
        }
        return refs;
    }

    private static void add(JsonNode document, String releaseNamespace, List<ResourceRef> refs) {
        String kind = document.path("kind").asString("");
        if (kind.isEmpty()) {
            return;
        }
        if (kind.endsWith("List") && document.path("items").isArray()) {
            for (JsonNode item : document.path("items")) {
                add(item, releaseNamespace, refs);
            }
            return;
        }
        JsonNode metadata = document.path("metadata");
        String namespace = metadata.path("namespace").asString("");
        if (namespace.isEmpty()) {
            namespace = CLUSTER_SCOPED_KINDS.contains(kind) ? null : releaseNamespace;
        }
        refs.add(new ResourceRef(
                document.path("apiVersion").asString(""), kind, metadata.path("name").asString(""), namespace));
    }
}
