package io.k8scollector.collector.redaction;

import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.collector.discovery.ResourceType;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies to Argo CD Applications and ApplicationSets ({@code argoproj.io}): in every {@code helm}
 * source block, wherever it sits ({@code spec.source}, {@code spec.sources[]}, and the copies Argo
 * keeps under {@code status.history}, {@code status.sync.comparedTo} and
 * {@code status.operationState}), {@code values} and {@code valuesObject} become their digests and
 * so does each {@code parameters[].value}.
 */
final class ArgoHelmValues implements RedactionStep {

    static final String GROUP = "argoproj.io";
    private static final List<String> VALUES = List.of("values", "valuesObject");

    private final KeyedDigest digest;

    ArgoHelmValues(KeyedDigest digest) {
        this.digest = digest;
    }

    @Override
    public boolean mayApply(ResourceType type) {
        return GROUP.equals(type.group());
    }

    @Override
    public boolean appliesTo(ResourceType type, ObjectNode object) {
        return GROUP.equals(type.group()) && ("Application".equals(type.kind()) || "ApplicationSet".equals(type.kind()));
    }

    @Override
    public void apply(ResourceType type, ObjectNode object) {
        walk(object);
    }

    private void walk(JsonNode node) {
        if (node.path("helm") instanceof ObjectNode helm) {
            redactHelm(helm);
        }
        if (node.isContainer()) {
            for (JsonNode child : node.values()) {
                walk(child);
            }
        }
    }

    private void redactHelm(ObjectNode helm) {
        for (String field : VALUES) {
            JsonNode values = helm.get(field);
            if (values != null && !values.isNull()) {
                helm.put(field, digest.ofValue(values));
            }
        }
        for (JsonNode parameter : helm.path("parameters")) {
            if (parameter instanceof ObjectNode entry && entry.path("value").isString()) {
                entry.put("value", digest.of(entry.get("value").stringValue()));
            }
        }
    }
}
