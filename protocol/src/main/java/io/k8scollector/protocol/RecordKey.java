package io.k8scollector.protocol;

/**
 * The identity a record is stored by (docs/protocol.md, "Send"): one rule for the collector, the
 * receiver and the test endpoint alike, so that a count, a deletion and a stored row always agree
 * on which records are the same. {@code value} is the receiver's stored key text.
 *
 * <ul>
 *   <li>an object: {@code u:<uid>}, else {@code n:<apiVersion>/<kind>/<namespace>/<name>} (an
 *       empty namespace for a cluster-scoped object);
 *   <li>a Helm release: {@code <source>/<namespace>/<name>};
 *   <li>a type: {@code <group>/<resource>} (an empty group for the core group);
 *   <li>a tree: its root's uid.
 * </ul>
 */
public record RecordKey(RecordKind kind, String value) {

    public RecordKey {
        if (kind == null || value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a record key needs a kind and a value, got " + kind + " " + value);
        }
    }

    /**
     * An object's key: its uid, else its apiVersion, kind, namespace and name.
     *
     * @throws IllegalArgumentException when the object has neither a uid nor a name
     */
    public static RecordKey object(String uid, String apiVersion, String kind, String namespace, String name) {
        if (!blank(uid)) {
            return new RecordKey(RecordKind.OBJECTS, "u:" + uid);
        }
        if (blank(name)) {
            throw new IllegalArgumentException("an object needs metadata.uid or metadata.name ("
                    + apiVersion + " " + kind + ")");
        }
        return new RecordKey(RecordKind.OBJECTS,
                "n:" + text(apiVersion) + "/" + text(kind) + "/" + text(namespace) + "/" + name);
    }

    /** A Helm release's key: its source ({@code helm} or {@code argocd}), namespace and name. */
    public static RecordKey helmRelease(String source, String namespace, String name) {
        return new RecordKey(RecordKind.HELM_RELEASES, text(source) + "/" + text(namespace) + "/" + text(name));
    }

    /** A type's key: its group and resource. */
    public static RecordKey type(String group, String resource) {
        if (blank(resource)) {
            throw new IllegalArgumentException("a type needs a resource (group " + group + ")");
        }
        return new RecordKey(RecordKind.TYPES, text(group) + "/" + resource);
    }

    /** A tree's key: its root's uid. */
    public static RecordKey tree(String rootUid) {
        if (blank(rootUid)) {
            throw new IllegalArgumentException("a tree needs its root's uid");
        }
        return new RecordKey(RecordKind.TREES, rootUid);
    }

    /** The key of {@code release}. */
    public static RecordKey of(HelmRelease release) {
        return helmRelease(release.source(), release.namespace(), release.name());
    }

    /** The key of {@code type}. */
    public static RecordKey of(TypeRecord type) {
        return type(type.group(), type.resource());
    }

    /** The key of the tree rooted at {@code root}. */
    public static RecordKey of(TreeNode root) {
        return tree(root.uid());
    }

    /** The key of the record that {@code deletion} removes. */
    public static RecordKey of(Deletion deletion) {
        return switch (RecordKind.fromRecordKind(deletion.recordKind())) {
            case OBJECTS -> object(deletion.uid(), deletion.apiVersion(), deletion.kind(), deletion.namespace(),
                    deletion.name());
            case HELM_RELEASES -> helmRelease(deletion.source(), deletion.namespace(), deletion.name());
            case TYPES -> type(deletion.group(), deletion.resource());
            case TREES -> tree(deletion.uid());
        };
    }

    private static boolean blank(String text) {
        return text == null || text.isEmpty();
    }

    private static String text(String text) {
        return text == null ? "" : text;
    }
}
