package io.k8scollector.deploy;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A GET request to the API server as its authorizer sees it, parsed from the path the way the
 * API server's request-info factory does (k8s.io/apiserver, endpoints/request/requestinfo.go): a
 * resource request names a group, version, resource and optionally a namespace, a name and a
 * subresource; a GET without a name is a {@code list}; anything else ({@code /api}, {@code /apis},
 * {@code /apis/apps/v1}, {@code /version}) is a non-resource request.
 */
record ApiRequest(String verb, String path, boolean resourceRequest, String group, String resource,
        String subresource, String namespace, String name) {

    /** Namespace subresources that stay on the Namespace rather than naming a resource inside it. */
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    static ApiRequest get(String path) {
        List<String> parts = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();
        boolean core = !parts.isEmpty() && parts.get(0).equals("api");
        boolean grouped = !parts.isEmpty() && parts.get(0).equals("apis");
        if (!(core && parts.size() >= 3) && !(grouped && parts.size() >= 4)) {
            return new ApiRequest("get", path, false, "", "", "", "", "");
        }
        String group = core ? "" : parts.get(1);
        List<String> rest = parts.subList(core ? 2 : 3, parts.size());
        String namespace = "";
        if (rest.get(0).equals("namespaces") && rest.size() > 1) {
            namespace = rest.get(1);
            if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
                rest = rest.subList(2, rest.size());
            }
        }
        String name = rest.size() >= 2 ? rest.get(1) : "";
        String subresource = rest.size() >= 3 ? rest.get(2) : "";
        return new ApiRequest(name.isEmpty() ? "list" : "get", path, true, group, rest.get(0), subresource, namespace, name);
    }

    /** The same request with another verb, as a watch of the same collection or object would be. */
    ApiRequest withVerb(String otherVerb) {
        return new ApiRequest(otherVerb, path, resourceRequest, group, resource, subresource, namespace, name);
    }

    /** The resource as RBAC matches it: {@code pods}, or {@code pods/log} for a subresource. */
    String combinedResource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }
}
