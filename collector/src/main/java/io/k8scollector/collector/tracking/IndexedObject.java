package io.k8scollector.collector.tracking;

import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.RecordKey;
import java.util.List;

/**
 * What {@link ObjectIndex} knows of one object, made on demand from its compact entry.
 *
 * @param uid empty for an object without one
 * @param namespace empty for a cluster-scoped object
 * @param owners the uids of its owner references, in order
 * @param controller the index in {@code owners} of its controller, or -1
 * @param link what enrichment's implied links read of it (an EndpointSlice's service name, a claim's
 *     volume, a StatefulSet's claim templates), or null
 */
public record IndexedObject(ResourceType type, String uid, String namespace, String name, String resourceVersion,
        List<String> owners, int controller, String link) {

    public IndexedObject {
        owners = List.copyOf(owners);
    }

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
