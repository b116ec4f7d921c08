package io.k8scollector.testkit.catalog;

import java.util.List;

/**
 * One resource type as discovery presents it: served in one or more versions of its group, stored once.
 *
 * @param group the API group, empty for the core group
 * @param versions the versions of the group that serve this resource
 * @param name the plural name used in URLs ({@code pods})
 * @param singularName the singular name ({@code pod})
 * @param kind the kind of one object ({@code Pod})
 * @param namespaced whether objects live in a namespace
 * @param verbs the verbs discovery reports; types without {@code list} cannot be listed
 * @param shortNames the short names kubectl accepts ({@code po})
 * @param categories categories such as {@code all}
 * @param subresources subresources such as {@code status}, {@code scale}, {@code log}
 * @param custom whether the type comes from a CustomResourceDefinition; list items of custom types carry
 *     {@code apiVersion} and {@code kind}, those of built-in types do not (as the real server sends them)
 */
public record ApiResource(
        String group,
        List<String> versions,
        String name,
        String singularName,
        String kind,
        boolean namespaced,
        List<String> verbs,
        List<String> shortNames,
        List<String> categories,
        List<Subresource> subresources,
        boolean custom) {

    /** The verbs of an ordinary stored type. */
    public static final List<String> STORED_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    public ApiResource {
        versions = List.copyOf(versions);
        verbs = List.copyOf(verbs);
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
        subresources = List.copyOf(subresources);
    }

    /** The key its objects are stored under. */
    public TypeKey key() {
        return new TypeKey(group, name);
    }

    /** {@code v1} for the core group, else {@code group/version}. */
    public String apiVersion(String version) {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The kind of a list of these objects ({@code PodList}). */
    public String listKind() {
        return kind + "List";
    }

    /** Whether the type answers lists. */
    public boolean listable() {
        return verbs.contains("list");
    }

    /** The same type with the given versions; used when a CRD serves a different set. */
    public ApiResource withVersions(List<String> newVersions) {
        return new ApiResource(group, newVersions, name, singularName, kind, namespaced, verbs, shortNames,
                categories, subresources, custom);
    }

    /**
     * A subresource such as {@code pods/log}.
     *
     * @param name the part after the slash ({@code log})
     * @param kind the kind it reads or writes
     * @param group the group of that kind when it differs ({@code autoscaling} for {@code scale}), else empty
     * @param version the version of that kind when it differs, else empty
     */
    public record Subresource(String name, String kind, String group, String version, List<String> verbs) {

        public Subresource {
            verbs = List.copyOf(verbs);
        }

        /** {@code status}: the object itself, read and written whole. */
        public static Subresource status(String kind) {
            return new Subresource("status", kind, "", "", List.of("get", "patch", "update"));
        }

        /** {@code scale}: an {@code autoscaling/v1} Scale. */
        public static Subresource scale() {
            return new Subresource("scale", "Scale", "autoscaling", "v1", List.of("get", "patch", "update"));
        }
    }
}
