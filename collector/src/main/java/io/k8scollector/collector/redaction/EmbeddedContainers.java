package io.k8scollector.collector.redaction;

import io.k8scollector.collector.discovery.ResourceType;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies to custom resources (any type not built in to Kubernetes) and to ControllerRevisions
 * (whose {@code data} is the raw pod template of a StatefulSet's or DaemonSet's revision, or of
 * any other controller's). One walk over the whole object, at any depth, as operators and
 * workflow engines embed containers anywhere:
 * <ul>
 *   <li>every node that looks like a container ({@link ContainerValues#isContainer}: Argo
 *       Workflows templates, Tekton steps and sidecars, and the like) and every container of a
 *       pod spec (an object with a {@code containers} array) gets the container rules;
 *   <li>every other {@code env} and {@code params} list and every {@code parameters} list of
 *       {@code arguments}, {@code inputs} and {@code outputs} (Tekton's {@code stepTemplate} and
 *       runs, Argo Workflows' arguments and the parameters its templates and nodes record) gets
 *       the env rule for lists of {@code name}/{@code value} pairs;
 *   <li>every {@code script.source} text (Argo Workflows' script templates) gets the text rules;
 *   <li>the annotations of every {@code metadata} (of the templates inside) are redacted as an
 *       object's are (the rules give the same text when applied twice, so the object's own are
 *       unchanged).
 * </ul>
 */
final class EmbeddedContainers implements RedactionStep {

    private static final Set<String> PAIR_LISTS = Set.of("env", "params");
    /** Where Argo Workflows keeps {@code parameters} lists of name/value pairs. */
    private static final Set<String> PARAMETER_HOLDERS = Set.of("arguments", "inputs", "outputs");

    private final ContainerValues containers;
    private final SecretText text;
    private final Annotations annotations;

    EmbeddedContainers(ContainerValues containers, SecretText text, Annotations annotations) {
        this.containers = containers;
        this.text = text;
        this.annotations = annotations;
    }

    @Override
    public boolean mayApply(ResourceType type) {
        return !type.builtIn() || ("apps".equals(type.group()) && "ControllerRevision".equals(type.kind()));
    }

    @Override
    public boolean appliesTo(ResourceType type, ObjectNode object) {
        return mayApply(type);
    }

    @Override
    public void apply(ResourceType type, ObjectNode object) {
        walk(object, false);
    }

    /** {@code inContainerList}: the node is an element of a pod spec's container list. */
    private void walk(JsonNode node, boolean inContainerList) {
        if (node.isArray()) {
            for (JsonNode element : node.values()) {
                walk(element, inContainerList);
            }
            return;
        }
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        boolean container = inContainerList || ContainerValues.isContainer(object);
        if (container) {
            containers.redactContainer(object);
        }
        boolean podSpec = ContainerValues.isPodSpec(object);
        for (Map.Entry<String, JsonNode> property : object.properties()) {
            String name = property.getKey();
            JsonNode child = property.getValue();
            if (container && ContainerValues.holdsValues(name)) {
                continue;
            }
            if (PAIR_LISTS.contains(name) && child.isArray()) {
                containers.redactNamedValues(child);
                continue;
            }
            if (PARAMETER_HOLDERS.contains(name) && child.path("parameters").isArray()) {
                containers.redactNamedValues(child.get("parameters"));
            }
            if (name.equals("metadata")) {
                annotations.redactIn(child);
            }
            if (name.equals("script") && child instanceof ObjectNode script && script.path("source").isString()) {
                script.put("source", text.config(script.get("source").stringValue()));
            }
            walk(child, podSpec && ContainerValues.isContainerList(name));
        }
    }
}
