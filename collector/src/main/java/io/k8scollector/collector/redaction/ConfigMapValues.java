package io.k8scollector.collector.redaction;

import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.collector.discovery.ResourceType;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies to core ConfigMaps that are not Helm's storage ({@link HelmConfigMapValues} digests
 * those whole): a credential stored in the wrong place is still a credential. A value of
 * {@code data} or {@code binaryData} under a sensitive key ({@code db-password},
 * {@code tls.key}) becomes its digest (of the decoded bytes for {@code binaryData}, as for a
 * Secret's {@code data}); every other {@code data} value gets the
 * {@linkplain SecretText#config text rules for configuration} (env files, properties, YAML,
 * JSON and scripts are what ConfigMaps hold). Other {@code binaryData} stays: it is rarely text.
 */
final class ConfigMapValues implements RedactionStep {

    private final SensitiveNames names;
    private final SecretText text;
    private final KeyedDigest digest;

    ConfigMapValues(SensitiveNames names, SecretText text, KeyedDigest digest) {
        this.names = names;
        this.text = text;
        this.digest = digest;
    }

    @Override
    public boolean mayApply(ResourceType type) {
        return HelmConfigMapValues.isConfigMap(type);
    }

    @Override
    public boolean appliesTo(ResourceType type, ObjectNode object) {
        return HelmConfigMapValues.isConfigMap(type) && !HelmConfigMapValues.isHelmStorage(object);
    }

    @Override
    public void apply(ResourceType type, ObjectNode configMap) {
        redact(configMap.get("data"), false);
        redact(configMap.get("binaryData"), true);
    }

    private void redact(JsonNode values, boolean binary) {
        if (!(values instanceof ObjectNode map)) {
            return;
        }
        for (String key : List.copyOf(map.propertyNames())) {
            JsonNode value = map.get(key);
            if (!value.isString()) {
                continue;
            }
            if (names.isSensitive(key)) {
                map.put(key, digest.of(KeyedDigest.bytes(value.stringValue(), binary)));
            } else if (!binary) {
                String redacted = text.config(value.stringValue());
                if (!redacted.equals(value.stringValue())) {
                    map.put(key, redacted);
                }
            }
        }
    }
}
