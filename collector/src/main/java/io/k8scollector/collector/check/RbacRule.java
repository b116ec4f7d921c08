package io.k8scollector.collector.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One rule of a ClusterRole, as the check suggests it and as {@code --rbac} prints it.
 *
 * @param group the API group, empty for the core group
 * @param resources plural resource names, no subresource
 * @param resourceNames the only objects the rule allows, or empty for all
 */
record RbacRule(String group, List<String> resources, List<String> resourceNames, List<String> verbs) {

    /** What a collector needs of a type it lists. */
    static final List<String> LIST_AND_WATCH = List.of("list", "watch");

    /** The rule that reads the cluster's unique id: get on the kube-system Namespace alone. */
    static final RbacRule KUBE_SYSTEM = new RbacRule("", List.of("namespaces"), List.of("kube-system"), List.of("get"));

    RbacRule {
        resources = List.copyOf(resources);
        resourceNames = List.copyOf(resourceNames);
        verbs = List.copyOf(verbs);
    }

    static RbacRule listAndWatch(String group, List<String> resources) {
        return new RbacRule(group, resources, List.of(), LIST_AND_WATCH);
    }

    /** The rule on one line, as a ClusterRole's rules list would hold it. */
    String inline() {
        return "apiGroups: [" + quoted(List.of(group)) + "], resources: [" + quoted(resources) + "]"
                + (resourceNames.isEmpty() ? "" : ", resourceNames: [" + quoted(resourceNames) + "]")
                + ", verbs: [" + quoted(verbs) + "]";
    }

    /** The rule as a ClusterRole's {@code rules} entry. */
    Map<String, Object> asMap() {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("apiGroups", List.of(group));
        rule.put("resources", resources);
        if (!resourceNames.isEmpty()) {
            rule.put("resourceNames", resourceNames);
        }
        rule.put("verbs", verbs);
        return rule;
    }

    private static String quoted(List<String> values) {
        return values.stream().map(value -> "\"" + value + "\"").collect(Collectors.joining(","));
    }
}
