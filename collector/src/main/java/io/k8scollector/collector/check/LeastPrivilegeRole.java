package io.k8scollector.collector.check;

import io.k8scollector.collector.discovery.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The least-privilege ClusterRole for the types a configuration selects on one cluster, in the
 * chart's shape (charts/k8s-collector/templates/clusterrole.yaml): one {@code list}, {@code watch}
 * rule per API group, sorted; then Helm's release storage (Secrets and ConfigMaps, which a run reads
 * whether or not it collects them) where the cluster serves it; then {@code get} on the kube-system
 * Namespace alone, whose uid is the cluster's unique id. No subresource, no {@code get} elsewhere.
 */
final class LeastPrivilegeRole {

    /** The role's name when none is given: the chart's default release name. */
    static final String DEFAULT_NAME = "k8s-collector";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .enable(YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    private LeastPrivilegeRole() {}

    /** The rules, in the order the role lists them. */
    static List<RbacRule> rules(List<ResourceType> selected, List<ResourceType> helmStorage) {
        Map<String, TreeSet<String>> byGroup = new TreeMap<>();
        for (ResourceType type : selected) {
            byGroup.computeIfAbsent(type.group(), group -> new TreeSet<>()).add(type.resource());
        }
        List<RbacRule> rules = new ArrayList<>();
        byGroup.forEach((group, resources) -> rules.add(RbacRule.listAndWatch(group, List.copyOf(resources))));
        if (!helmStorage.isEmpty()) {
            rules.add(RbacRule.listAndWatch("", helmStorage.stream().map(ResourceType::resource).sorted().toList()));
        }
        rules.add(RbacRule.KUBE_SYSTEM);
        return rules;
    }

    /** The ClusterRole as one YAML document. */
    static String yaml(String name, List<RbacRule> rules) {
        Map<String, Object> role = new LinkedHashMap<>();
        role.put("apiVersion", "rbac.authorization.k8s.io/v1");
        role.put("kind", "ClusterRole");
        role.put("metadata", Map.of("name", name));
        role.put("rules", rules.stream().map(RbacRule::asMap).toList());
        return YAML.writeValueAsString(role);
    }
}
