package io.k8scollector.deploy;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The rules of a rendered ClusterRole or Role, evaluated as Kubernetes' RBAC authorizer evaluates
 * them (pkg/apis/rbac/v1/evaluation_helpers.go): a rule allows a request when its verbs, API
 * groups, resources and resource names all match. {@code "*"} in {@code resources} matches every
 * resource and every subresource ({@code pods/log} included); <code>"*&#47;log"</code> matches the
 * {@code log} subresource of any resource; an empty {@code resourceNames} matches every name.
 */
record PolicyRules(List<Rule> rules) {

    /** One rule of {@code rules}. */
    record Rule(List<String> verbs, List<String> apiGroups, List<String> resources, List<String> resourceNames,
            List<String> nonResourceURLs) {

        static Rule of(JsonNode rule) {
            return new Rule(Manifests.strings(rule.path("verbs")), Manifests.strings(rule.path("apiGroups")),
                    Manifests.strings(rule.path("resources")), Manifests.strings(rule.path("resourceNames")),
                    Manifests.strings(rule.path("nonResourceURLs")));
        }

        boolean allows(ApiRequest request) {
            if (!request.resourceRequest()) {
                return matchesAny(verbs, request.verb()) && nonResourceURLs.stream().anyMatch(url -> url.equals("*")
                        || url.equals(request.path())
                        || url.endsWith("*") && request.path().startsWith(url.substring(0, url.length() - 1)));
            }
            return matchesAny(verbs, request.verb()) && matchesAny(apiGroups, request.group())
                    && resourceMatches(request) && (resourceNames.isEmpty() || resourceNames.contains(request.name()));
        }

        private boolean resourceMatches(ApiRequest request) {
            String combined = request.combinedResource();
            return resources.stream().anyMatch(resource -> resource.equals("*") || resource.equals(combined)
                    || !request.subresource().isEmpty() && resource.equals("*/" + request.subresource()));
        }

        private static boolean matchesAny(List<String> granted, String requested) {
            return granted.contains("*") || granted.contains(requested);
        }
    }

    /** The rules of {@code role}, a ClusterRole or Role as the chart rendered it. */
    static PolicyRules of(JsonNode role) {
        return new PolicyRules(role.path("rules").valueStream().map(Rule::of).toList());
    }

    boolean allows(ApiRequest request) {
        return rules.stream().anyMatch(rule -> rule.allows(request));
    }
}
