package io.k8scollector.collector.redaction;

import io.k8scollector.collector.config.RedactionSettings;
import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.listing.ItemReader;
import io.k8scollector.collector.listing.ObjectView;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Removes from an object, in place, what must never leave the cluster, before it is serialised in
 * any mode (dry-run included). One chain of steps, each applied to the objects it says it applies
 * to: annotations ({@code last-applied-configuration} and the configured ones removed, secrets
 * inside the others), Secret values, Helm's ConfigMap-stored releases, credentials in other
 * ConfigMaps, containers of built-in pod templates, Argo CD Helm values, the values fields of
 * other deployers' kinds, and containers wherever custom resources hold them. Most objects of a
 * cluster (Pods first) need only the annotation and container steps, which {@link #copy()}
 * applies as it reads them.
 * Thread-safe: one Redactor serves every listing thread.
 */
public final class Redactor {

    private final List<RedactionStep> steps;
    private final RedactingCopy copy;

    private Redactor(List<RedactionStep> steps, RedactingCopy copy) {
        this.steps = List.copyOf(steps);
        this.copy = copy;
    }

    /** The chain for {@code settings}. */
    public static Redactor from(RedactionSettings settings) {
        KeyedDigest digest = new KeyedDigest(settings.key());
        SensitiveNames names = new SensitiveNames(settings.sensitivePattern());
        SecretText text = new SecretText(names, digest);
        ContainerValues containers = new ContainerValues(names, text);
        Annotations annotations = new Annotations(settings.redactAnnotations(), text);
        // values fields and Argo's values are digested whole before the walk could read into them
        return new Redactor(List.of(
                annotations,
                new SecretValues(settings.secrets(), digest),
                new HelmConfigMapValues(digest),
                new ConfigMapValues(names, text, digest),
                new PodTemplateContainers(containers, annotations),
                new ArgoHelmValues(digest),
                new ValuesFields(settings.valuesFields(), digest),
                new EmbeddedContainers(containers, text, annotations)),
                new RedactingCopy(annotations, containers));
    }

    /** Redacts {@code object}, listed as {@code type}, in place. */
    public void redact(ResourceType type, ObjectNode object) {
        for (RedactionStep step : steps) {
            if (step.appliesTo(type, object)) {
                step.apply(type, object);
            }
        }
    }

    /**
     * What redaction needs of the objects of {@code type}: {@link ObjectView#HEAD} when every step
     * that may apply to them is one {@link #copy()} does as it copies, so that the copy alone
     * redacts them; else {@link ObjectView#WHOLE}, for {@link #redact}.
     */
    public ObjectView view(ResourceType type) {
        return steps.stream().filter(step -> step.mayApply(type)).allMatch(copy::performs)
                ? ObjectView.HEAD
                : ObjectView.WHOLE;
    }

    /**
     * The reader that writes an object's redacted record as it reads it, for the types whose
     * {@link #view} is {@link ObjectView#HEAD}; it gives the record {@link #redact} and
     * serialising would give.
     */
    public ItemReader copy() {
        return copy;
    }
}
