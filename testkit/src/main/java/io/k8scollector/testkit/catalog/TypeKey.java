package io.k8scollector.testkit.catalog;

/**
 * Names one stored resource type, whatever version it is served in.
 *
 * @param group the API group, empty for the core group
 * @param resource the plural resource name
 */
public record TypeKey(String group, String resource) {

    public TypeKey {
        group = group == null ? "" : group;
    }

    @Override
    public String toString() {
        return group.isEmpty() ? resource : resource + "." + group;
    }
}
