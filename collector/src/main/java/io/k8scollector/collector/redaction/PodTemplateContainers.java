package io.k8scollector.collector.redaction;

import io.k8scollector.collector.discovery.ResourceType;
import java.util.Map;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies to the built-in kinds that hold a pod spec, at the place each holds it: Pods
 * ({@code spec}), Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs and
 * ReplicationControllers ({@code spec.template.spec}), CronJobs
 * ({@code spec.jobTemplate.spec.template.spec}) and PodTemplates ({@code template.spec}); and the
 * annotations of the templates on the way there and of the {@code volumeClaimTemplates} beside
 * them (a StatefulSet's), as {@link Annotations} redacts an object's.
 */
final class PodTemplateContainers implements RedactionStep {

    private static final JsonPointer TEMPLATE = JsonPointer.compile("/spec/template/spec");
    /** A StatefulSet's templates of PersistentVolumeClaims, beside its pod template. */
    static final String CLAIM_TEMPLATES = "volumeClaimTemplates";
    /** By kind (each is unique here), with its group, so that the per-object lookup builds no key. */
    private static final Map<String, PodSpecPlace> POD_SPECS = Map.of(
            "Pod", new PodSpecPlace("", JsonPointer.compile("/spec")),
            "Deployment", new PodSpecPlace("apps", TEMPLATE),
            "ReplicaSet", new PodSpecPlace("apps", TEMPLATE),
            "StatefulSet", new PodSpecPlace("apps", TEMPLATE),
            "DaemonSet", new PodSpecPlace("apps", TEMPLATE),
            "Job", new PodSpecPlace("batch", TEMPLATE),
            "ReplicationController", new PodSpecPlace("", TEMPLATE),
            "CronJob", new PodSpecPlace("batch", JsonPointer.compile("/spec/jobTemplate/spec/template/spec")),
            "PodTemplate", new PodSpecPlace("", JsonPointer.compile("/template/spec")));

    private final ContainerValues containers;
    private final Annotations annotations;

    PodTemplateContainers(ContainerValues containers, Annotations annotations) {
        this.containers = containers;
        this.annotations = annotations;
    }

    @Override
    public boolean mayApply(ResourceType type) {
        return podSpec(type) != null;
    }

    @Override
    public boolean appliesTo(ResourceType type, ObjectNode object) {
        return podSpec(type) != null;
    }

    @Override
    public void apply(ResourceType type, ObjectNode object) {
        JsonPointer podSpec = podSpec(type);
        containers.redactPodSpec(object.at(podSpec));
        // the templates on the way (a CronJob's job template, then its pod template) have metadata of their own
        JsonNode template = object;
        for (JsonPointer rest = podSpec; rest.tail() != null && !rest.tail().matches(); rest = rest.tail()) {
            template = template.path(rest.getMatchingProperty());
            annotations.redactIn(template.path("metadata"));
            for (JsonNode claim : template.path(CLAIM_TEMPLATES)) {
                annotations.redactIn(claim.path("metadata"));
            }
        }
    }

    /** Where objects of {@code type} hold their pod spec, or null when they hold none at a known place. */
    static JsonPointer podSpec(ResourceType type) {
        PodSpecPlace place = POD_SPECS.get(type.kind());
        return place != null && place.group().equals(type.group()) ? place.pointer() : null;
    }

    private record PodSpecPlace(String group, JsonPointer pointer) {}
}
