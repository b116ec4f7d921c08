package io.k8scollector.collector.redaction;

import io.k8scollector.collector.discovery.ResourceType;
import java.util.Map;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies to the built-in kinds that hold a pod spec, at the place each holds it: Pods
 * ({@code spec}), Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs and
 * ReplicationControllers ({@code spec.template.spec}), CronJobs
 * ({@code spec.jobTemplate.spec.template.spec}) and PodTemplates ({@code template.spec}).
 */
final class PodTemplateContainers implements RedactionStep {

    private static final JsonPointer TEMPLATE = JsonPointer.compile("/spec/template/spec");
    private static final Map<String, JsonPointer> POD_SPECS = Map.of(
            "/Pod", JsonPointer.compile("/spec"),
            "apps/Deployment", TEMPLATE,
            "apps/ReplicaSet", TEMPLATE,
            "apps/StatefulSet", TEMPLATE,
            "apps/DaemonSet", TEMPLATE,
            "batch/Job", TEMPLATE,
            "/ReplicationController", TEMPLATE,
            "batch/CronJob", JsonPointer.compile("/spec/jobTemplate/spec/template/spec"),
            "/PodTemplate", JsonPointer.compile("/template/spec"));

    private final ContainerValues containers;

    PodTemplateContainers(ContainerValues containers) {
        this.containers = containers;
    }

    @Override
    public boolean needsTree(ResourceType type) {
        return false;
    }

    @Override
    public boolean appliesTo(ResourceType type, ObjectNode object) {
        return POD_SPECS.containsKey(key(type));
    }

    @Override
    public void apply(ResourceType type, ObjectNode object) {
        containers.redactPodSpec(object.at(POD_SPECS.get(key(type))));
    }

    /** Where objects of {@code type} hold their pod spec, or null when they hold none at a known place. */
    static JsonPointer podSpec(ResourceType type) {
        return POD_SPECS.get(key(type));
    }

    private static String key(ResourceType type) {
        return type.group() + "/" + type.kind();
    }
}
