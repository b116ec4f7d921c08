package io.k8scollector.collector.redaction;

import io.k8scollector.collector.discovery.ResourceType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies to every object that has annotations: removes {@code last-applied-configuration} (it
 * repeats the applied object, Secret data and env values included) and the configured ones.
 */
final class AnnotationRemoval implements RedactionStep {

    private final Set<String> names;

    AnnotationRemoval(List<String> configured) {
        Set<String> all = new LinkedHashSet<>();
        all.add(RedactionSettings.LAST_APPLIED);
        all.addAll(configured);
        this.names = Set.copyOf(all);
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
        if (object.path("metadata").path("annotations") instanceof ObjectNode map) {
            map.remove(names);
        }
    }

    /** Whether the annotation {@code name} is removed. */
    boolean removes(String name) {
        return names.contains(name);
    }
}
