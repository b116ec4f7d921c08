package io.k8scollector.collector.redaction;

import io.k8scollector.collector.discovery.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies to custom resources (any type not built in to Kubernetes) and to ControllerRevisions
 * (whose {@code data} is the raw pod template of a StatefulSet's or DaemonSet's revision, or of
 * any other controller's): wherever a pod spec sits in them (any object with a {@code containers}
 * array, at any depth, as operators embed them), its containers are redacted like a Pod's.
 */
final class EmbeddedPodSpecs implements RedactionStep {

    private final ContainerValues containers;

    EmbeddedPodSpecs(ContainerValues containers) {
        this.containers = containers;
    }

    @Override
    public boolean needsTree(ResourceType type) {
        return !type.builtIn() || ("apps".equals(type.group()) && "ControllerRevision".equals(type.kind()));
    }

    @Override
    public boolean appliesTo(ResourceType type, ObjectNode object) {
        return needsTree(type);
    }

    @Override
    public void apply(ResourceType type, ObjectNode object) {
        walk(object);
    }

    private void walk(JsonNode node) {
        if (node.isObject() && ContainerValues.isPodSpec(node)) {
            containers.redactPodSpec(node);
        }
        if (node.isContainer()) {
            for (JsonNode child : node.values()) {
                walk(child);
            }
        }
    }
}
