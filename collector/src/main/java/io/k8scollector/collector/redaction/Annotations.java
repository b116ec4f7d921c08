package io.k8scollector.collector.redaction;

import io.k8scollector.collector.discovery.ResourceType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies to every object that has annotations: removes {@code last-applied-configuration} (it
 * repeats the applied object, Secret data and env values included) and the configured ones, and
 * gives every other value the {@linkplain SecretText#line text rules}: annotations record
 * commands ({@code kubernetes.io/change-cause}) and configuration of every kind. The templates
 * inside an object (a Deployment's pod template, a CronJob's job template) have their
 * annotations redacted the same way by the steps that know where the templates sit.
 */
final class Annotations implements RedactionStep {

    private final Set<String> removed;
    private final SecretText text;

    Annotations(List<String> configured, SecretText text) {
        Set<String> all = new LinkedHashSet<>();
        all.add(RedactionSettings.LAST_APPLIED);
        all.addAll(configured);
        this.removed = Set.copyOf(all);
        this.text = text;
    }

    @Override
    public boolean needsTree(ResourceType type) {
        return false;
    }

    @Override
    public boolean appliesTo(ResourceType type, ObjectNode object) {
        return object.path("metadata").path("annotations").isObject();
    }

    @Override
    public void apply(ResourceType type, ObjectNode object) {
        redactIn(object.path("metadata"));
    }

    /** Redacts the annotations of {@code metadata} (an object's, or a template's inside it) in place. */
    void redactIn(JsonNode metadata) {
        if (!(metadata.path("annotations") instanceof ObjectNode map)) {
            return;
        }
        map.remove(removed);
        for (String name : List.copyOf(map.propertyNames())) {
            JsonNode value = map.get(name);
            if (value.isString()) {
                String redacted = redact(value.stringValue());
                if (!redacted.equals(value.stringValue())) {
                    map.put(name, redacted);
                }
            }
        }
    }

    /** Whether the annotation {@code name} is removed. */
    boolean removes(String name) {
        return removed.contains(name);
    }

    /** The value of an annotation that is kept, redacted. */
    String redact(String value) {
        return text.line(value);
    }
}
