package io.k8scollector.testkit.server;

import java.util.Arrays;
import java.util.Optional;

/**
 * A request path below a group version: {@code /api/v1/pods},
 * {@code /apis/apps/v1/namespaces/shop/deployments/web/scale} and the like.
 *
 * @param group the group, "" for the core group
 * @param version the version
 * @param namespace the namespace of a namespaced path, or null
 * @param resource the plural resource name
 * @param name the object's name, or null for a collection
 * @param subresource the subresource, or null
 */
record ResourcePath(String group, String version, String namespace, String resource, String name,
        String subresource) {

    /** The path's parts after {@code /api/v1} or {@code /apis/{group}/{version}}, when it names a resource. */
    static Optional<ResourcePath> parse(String group, String version, String[] rest) {
        if (rest.length == 0 || rest.length > 5) {
            return Optional.empty();
        }
        if (rest[0].equals("namespaces") && rest.length >= 3) {
            String[] tail = Arrays.copyOfRange(rest, 2, rest.length);
            if (tail.length > 3) {
                return Optional.empty();
            }
            return Optional.of(new ResourcePath(group, version, rest[1], tail[0], at(tail, 1), at(tail, 2)));
        }
        if (rest.length > 3) {
            return Optional.empty();
        }
        return Optional.of(new ResourcePath(group, version, null, rest[0], at(rest, 1), at(rest, 2)));
    }

    private static String at(String[] parts, int index) {
        return index < parts.length ? parts[index] : null;
    }
}
