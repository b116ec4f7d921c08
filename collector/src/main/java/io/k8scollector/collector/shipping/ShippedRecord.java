package io.k8scollector.collector.shipping;

import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.HelmRelease;
import io.k8scollector.protocol.RecordKey;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import io.k8scollector.protocol.TreeNode;
import io.k8scollector.protocol.TypeRecord;

/**
 * One record as the run hands it to a {@link Sink}: built once, where the run knows what the
 * record is, so that no later stage parses the bytes back. {@code key} is the identity the
 * endpoint stores it by ({@link RecordKey}, whose kind is the record's); {@code reference} names it
 * in a skipped entry should the endpoint refuse it alone; {@code json} is the complete JSON value
 * in UTF-8, already redacted, which the sink sends as it is and the caller must not change.
 */
public record ShippedRecord(RecordKey key, Reference reference, byte[] json) {

    public ShippedRecord {
        if (key == null || reference == null || json == null) {
            throw new IllegalArgumentException("a shipped record needs a key, a reference and its JSON");
        }
        if ((key.kind() == RecordKind.OBJECTS) != (reference instanceof ObjectReference)) {
            throw new IllegalArgumentException("an object record, and only one, is named by an object reference: " + key);
        }
    }

    /**
     * An object of the type {@code group}/{@code version}/{@code resource} (of {@code kind}),
     * keyed by its uid, else by its apiVersion, kind, namespace and name.
     *
     * @param namespace null or empty for a cluster-scoped object
     * @throws IllegalArgumentException when the object has neither a uid nor a name
     */
    public static ShippedRecord object(String group, String version, String resource, String kind,
            String uid, String namespace, String name, byte[] json) {
        String scope = namespace == null || namespace.isEmpty() ? null : namespace;
        RecordKey key = uid != null && !uid.isEmpty()
                ? RecordKey.object(uid, null, null, null, null)
                : RecordKey.object(null, group.isEmpty() ? version : group + "/" + version, kind, scope, name);
        return new ShippedRecord(key, new ObjectReference(group, version, resource, scope, name), json);
    }

    /** A Helm release record, of Helm's storage or Argo CD's. */
    public static ShippedRecord of(HelmRelease release, byte[] json) {
        return new ShippedRecord(RecordKey.of(release), new RecordName(qualified(release.namespace(), release.name())), json);
    }

    /** A type record. */
    public static ShippedRecord of(TypeRecord type, byte[] json) {
        return new ShippedRecord(RecordKey.of(type), new RecordName(qualified(type.group(), type.resource())), json);
    }

    /** The record of the ownership tree rooted at {@code root}. */
    public static ShippedRecord of(TreeNode root, byte[] json) {
        return new ShippedRecord(RecordKey.of(root), new RecordName(qualified(root.namespace(), root.name())), json);
    }

    /**
     * The entry of a {@code deletions} page (protocol 1.1) that removes {@code deletion}'s record:
     * keyed, and named in logs, as that record.
     */
    public static ShippedRecord deletion(Deletion deletion, byte[] json) {
        RecordKey key = deletion.key();
        if (key.kind() != RecordKind.OBJECTS) {
            return new ShippedRecord(key, new RecordName(key.value()), json);
        }
        String apiVersion = deletion.apiVersion() == null ? "" : deletion.apiVersion();
        int slash = apiVersion.indexOf('/');
        return new ShippedRecord(key, new ObjectReference(slash < 0 ? "" : apiVersion.substring(0, slash),
                apiVersion.substring(slash + 1), deletion.kind(), deletion.namespace(), deletion.name()), json);
    }

    public RecordKind kind() {
        return key.kind();
    }

    /** The skipped entry that says the endpoint refused this record alone, for {@code message}. */
    Skipped refused(String message) {
        if (reference instanceof ObjectReference object) {
            return Skipped.object(object.group(), object.version(), object.resource(), object.namespace(),
                    object.name(), Skipped.Reason.REJECTED, message);
        }
        return Skipped.record(kind().recordKind(), ((RecordName) reference).name(), Skipped.Reason.REJECTED, message);
    }

    private static String qualified(String prefix, String name) {
        return prefix == null || prefix.isEmpty() ? String.valueOf(name) : prefix + "/" + name;
    }

    /** What names a record in a skipped entry. */
    public sealed interface Reference permits ObjectReference, RecordName {}

    /**
     * An object by its type (group, version, plural resource) and its namespace (null when
     * cluster-scoped) and name: the fields of a skipped {@code object} entry.
     */
    public record ObjectReference(String group, String version, String resource, String namespace, String name)
            implements Reference {}

    /**
     * A Helm release, type or tree by the name its skipped {@code record} entry carries:
     * {@code namespace/name} of a release or a tree's root, {@code group/resource} of a type (the
     * prefix left out when empty).
     */
    public record RecordName(String name) implements Reference {}
}
