package io.k8scollector.collector.redaction;

import io.k8scollector.collector.discovery.ResourceType;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Removes from an object, in place, what must never leave the cluster, before it is serialised in
 * any mode (dry-run included). One chain of steps, each applied to the objects it says it applies
 * to: annotations ({@code last-applied-configuration} and the configured ones), Secret values,
 * Helm's ConfigMap-stored releases, containers of built-in pod templates, containers of pod specs
 * embedded in custom resources, and Argo CD Helm values. Thread-safe: one Redactor serves every
 * listing thread.
 */
public final class Redactor {

    private final List<RedactionStep> steps;

    private Redactor(List<RedactionStep> steps) {
        this.steps = List.copyOf(steps);
    }

    /** The chain for {@code settings}. */
    public static Redactor from(RedactionSettings settings) {
        KeyedDigest digest = new KeyedDigest(settings.key());
        ContainerValues containers = new ContainerValues(settings.sensitivePattern(), digest);
        return new Redactor(List.of(
                new AnnotationRemoval(settings.redactAnnotations()),
                new SecretValues(settings.secrets(), digest),
                new HelmConfigMapPayload(digest),
                new PodTemplateContainers(containers),
                new EmbeddedPodSpecs(containers),
                new ArgoHelmValues(digest)));
    }

    /** Redacts {@code object}, listed as {@code type}, in place. */
    public void redact(ResourceType type, ObjectNode object) {
        for (RedactionStep step : steps) {
            if (step.appliesTo(type, object)) {
                step.apply(type, object);
            }
        }
    }
}
