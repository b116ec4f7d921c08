package io.k8scollector.protocol;

/**
 * One entry of a {@code deletions} page (protocol 1.1): a record of the delta's base that is gone.
 * It carries the key fields of its {@code recordKind} ({@link RecordKey#of(Deletion)}); an
 * object's also carry apiVersion, kind, namespace and name, for display and for objects without
 * a uid.
 *
 * @param recordKind {@code object}, {@code helmRelease}, {@code type} or {@code tree}
 */
public record Deletion(
        String recordKind,
        String uid,
        String apiVersion,
        String kind,
        String namespace,
        String name,
        String source,
        String group,
        String resource) {

    /** The deletion of an object. */
    public static Deletion object(String uid, String apiVersion, String kind, String namespace, String name) {
        return new Deletion(RecordKind.OBJECTS.recordKind(), uid, apiVersion, kind, namespace, name, null, null, null);
    }

    /** The deletion of a Helm release. */
    public static Deletion helmRelease(String source, String namespace, String name) {
        return new Deletion(RecordKind.HELM_RELEASES.recordKind(), null, null, null, namespace, name, source, null, null);
    }

    /** The deletion of a type record (its objects are deleted one by one, by their own entries). */
    public static Deletion type(String group, String resource) {
        return new Deletion(RecordKind.TYPES.recordKind(), null, null, null, null, null, null, group, resource);
    }

    /** The deletion of the tree rooted at {@code rootUid}. */
    public static Deletion tree(String rootUid) {
        return new Deletion(RecordKind.TREES.recordKind(), rootUid, null, null, null, null, null, null, null);
    }

    /** The key of the record this deletion removes. */
    public RecordKey key() {
        return RecordKey.of(this);
    }
}
