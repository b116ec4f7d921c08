package io.k8scollector.collector.tracking;

import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.RecordKey;

/**
 * What the index of shipped objects knows of one of them, made on demand from its compact entry:
 * enough to name it in a deletion and to tell whether a listed object changed since.
 *
 * @param uid empty for an object without one
 * @param namespace empty for a cluster-scoped object
 */
public record IndexedObject(ResourceType type, String uid, String namespace, String name, String resourceVersion) {

    /** The key it was shipped by. */
    public RecordKey key() {
        return RecordKey.object(uid, type.apiVersion(), type.kind(), namespace, name);
    }

    /** The deletion that removes it from the endpoint's snapshot. */
    public Deletion deletion() {
        return Deletion.object(uid.isEmpty() ? null : uid, type.apiVersion(), type.kind(),
                namespace.isEmpty() ? null : namespace, name);
    }
}
