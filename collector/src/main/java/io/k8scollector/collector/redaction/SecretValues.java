package io.k8scollector.collector.redaction;

import io.k8scollector.collector.config.SecretsMode;
import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.collector.discovery.HelmStorage;
import io.k8scollector.collector.discovery.ResourceType;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies to core Secrets: every value of {@code data} (decoded from base64 first) and of
 * {@code stringData} becomes its digest, or null ({@code drop}), or stays ({@code keep}); the keys
 * stay. Because {@code data} is decoded, the same value gives the same digest in both fields. Helm
 * release Secrets are digested even under {@code keep}: release values are never sent.
 */
final class SecretValues implements RedactionStep {

    private final SecretsMode mode;
    private final KeyedDigest digest;

    SecretValues(SecretsMode mode, KeyedDigest digest) {
        this.mode = mode;
        this.digest = digest;
    }

    @Override
    public boolean mayApply(ResourceType type) {
        return type.group().isEmpty() && "Secret".equals(type.kind());
    }

    @Override
    public boolean appliesTo(ResourceType type, ObjectNode object) {
        return mayApply(type);
    }

    @Override
    public void apply(ResourceType type, ObjectNode secret) {
        boolean helmRelease = HelmStorage.SECRET_TYPE.equals(secret.path("type").asString(""));
        SecretsMode effective = helmRelease && mode == SecretsMode.KEEP ? SecretsMode.HASH : mode;
        if (effective == SecretsMode.KEEP) {
            return;
        }
        if (effective == SecretsMode.DROP) {
            dropValues(secret.get("data"));
            dropValues(secret.get("stringData"));
        } else {
            digest.replaceValues(secret.get("data"), true);
            digest.replaceValues(secret.get("stringData"), false);
        }
    }

    private static void dropValues(JsonNode values) {
        if (values instanceof ObjectNode map) {
            for (String name : List.copyOf(map.propertyNames())) {
                map.putNull(name);
            }
        }
    }
}
