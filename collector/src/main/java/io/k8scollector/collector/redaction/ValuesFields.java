package io.k8scollector.collector.redaction;

import io.k8scollector.collector.config.ValuesField;
import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.collector.discovery.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies to the kinds of other deployers that hold Helm values, the built-in table
 * {@link #KNOWN} and the fields {@code collector.valuesFields} adds: each such field's value
 * becomes its digest, as Argo CD's values do ({@link KeyedDigest#ofValue}: a text's digest, else
 * the canonical JSON's). Argo CD's own Applications are {@link ArgoHelmValues}'.
 */
final class ValuesFields implements RedactionStep {

    /** The kinds known to hold Helm values, and where. */
    static final List<ValuesField> KNOWN = List.of(
            field("helm.toolkit.fluxcd.io", "HelmRelease", "spec.values"),
            field("helm.cattle.io", "HelmChart", "spec.valuesContent"),
            field("helm.cattle.io", "HelmChart", "spec.set"),
            field("helm.cattle.io", "HelmChartConfig", "spec.valuesContent"),
            field("helm.crossplane.io", "Release", "spec.forProvider.values"),
            field("helm.crossplane.io", "Release", "spec.forProvider.set"),
            field("catalog.cattle.io", "App", "spec.values"),
            field("catalog.cattle.io", "App", "spec.chart.values"),
            field("project.cattle.io", "App", "spec.answers"),
            field("project.cattle.io", "App", "spec.answersSetString"),
            field("project.cattle.io", "App", "spec.valuesYaml"),
            field("fleet.cattle.io", "Bundle", "spec.helm.values"),
            field("fleet.cattle.io", "Bundle", "spec.targets.helm.values"),
            field("fleet.cattle.io", "BundleDeployment", "spec.options.helm.values"),
            field("fleet.cattle.io", "BundleDeployment", "spec.stagedOptions.helm.values"),
            field("fleet.cattle.io", "HelmOp", "spec.helm.values"));

    private final KeyedDigest digest;
    /** By {@code group/Kind}. */
    private final Map<String, List<List<String>>> paths;

    ValuesFields(List<ValuesField> configured, KeyedDigest digest) {
        this.digest = digest;
        List<ValuesField> all = new ArrayList<>(KNOWN);
        all.addAll(configured);
        this.paths = all.stream().distinct().collect(Collectors.groupingBy(
                field -> field.group() + "/" + field.kind(),
                Collectors.mapping(ValuesField::path, Collectors.toList())));
    }

    @Override
    public boolean mayApply(ResourceType type) {
        return paths.containsKey(type.group() + "/" + type.kind());
    }

    @Override
    public boolean appliesTo(ResourceType type, ObjectNode object) {
        return mayApply(type);
    }

    @Override
    public void apply(ResourceType type, ObjectNode object) {
        for (List<String> path : paths.get(type.group() + "/" + type.kind())) {
            replace(object, path, 0);
        }
    }

    private void replace(JsonNode node, List<String> path, int step) {
        if (node.isArray()) {
            for (JsonNode element : node.values()) {
                replace(element, path, step);
            }
        } else if (node instanceof ObjectNode object) {
            String name = path.get(step);
            JsonNode value = object.get(name);
            if (value == null || value.isNull()) {
                return;
            }
            if (step == path.size() - 1) {
                object.put(name, digest.ofValue(value));
            } else {
                replace(value, path, step + 1);
            }
        }
    }

    private static ValuesField field(String group, String kind, String path) {
        return new ValuesField(group, kind, List.of(path.split("\\.")));
    }
}
