package io.k8scollector.collector.redaction;

import io.k8scollector.collector.config.RedactionSettings;
import io.k8scollector.collector.discovery.ResourceType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies to every object that has annotations: removes {@code last-applied-configuration} and
 * kapp's {@code kapp.k14s.io/original} and {@code original-diff} (they repeat the applied object,
 * Secret data and env values included) and the configured ones, and
 * gives every other value the {@linkplain SecretText#line text rules}: annotations record
 * commands ({@code kubernetes.io/change-cause}) and configuration of every kind. The templates
 * inside an object (a Deployment's pod template, a CronJob's job template) have their
 * annotations redacted the same way by the steps that know where the templates sit.
 */
final class Annotations implements RedactionStep {

    /**
     * Removed from every object besides {@value RedactionSettings#LAST_APPLIED}: kapp keeps the
     * applied object (a Secret's data included) and its diff in these, as kubectl does in that one.
     */
    private static final List<String> APPLIED_COPIES = List.of("kapp.k14s.io/original", "kapp.k14s.io/original-diff");

    private final Set<String> removed;
    private final SecretText text;

    Annotations(List<String> configured, SecretText text) {
        Set<String> all = new LinkedHashSet<>();
        all.add(RedactionSettings.LAST_APPLIED);
        all.addAll(APPLIED_COPIES);
        all.addAll(configured);
        this.removed = Set.copyOf(all);
        this.text = text;
    }

    @Override
    public boolean mayApply(ResourceType type) {
        return true;
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
