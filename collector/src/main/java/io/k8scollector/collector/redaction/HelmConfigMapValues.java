package io.k8scollector.collector.redaction;

import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.collector.discovery.HelmStorage;
import io.k8scollector.collector.discovery.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies to core ConfigMaps labelled {@code owner=helm} (Helm's ConfigMap storage driver): every
 * value of {@code data} (the encoded release, values and all) and of {@code binaryData} becomes
 * its digest. The digest of a release is the same as when it is stored in a Secret.
 */
final class HelmConfigMapValues implements RedactionStep {

    private final KeyedDigest digest;

    HelmConfigMapValues(KeyedDigest digest) {
        this.digest = digest;
    }

    @Override
    public boolean mayApply(ResourceType type) {
        return isConfigMap(type);
    }

    @Override
    public boolean appliesTo(ResourceType type, ObjectNode object) {
        return isConfigMap(type) && isHelmStorage(object);
    }

    static boolean isConfigMap(ResourceType type) {
        return type.group().isEmpty() && "ConfigMap".equals(type.kind());
    }

    /** Whether the ConfigMap {@code object} is labelled as Helm's release storage. */
    static boolean isHelmStorage(ObjectNode object) {
        return HelmStorage.ownedByHelm(object);
    }

    @Override
    public void apply(ResourceType type, ObjectNode configMap) {
        digest.replaceValues(configMap.get("data"), false);
        digest.replaceValues(configMap.get("binaryData"), true);
    }
}
