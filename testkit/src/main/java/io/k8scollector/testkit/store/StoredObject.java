package io.k8scollector.testkit.store;

import io.k8scollector.protocol.Json;
import java.util.Map;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.node.ObjectNode;

/**
 * One object as the server keeps it: serialised once, served by copying bytes.
 *
 * @param key the storage key, {@code namespace/name} or {@code name}; lists are in key order, as etcd's
 * @param namespace the namespace, null for cluster-scoped objects
 * @param name the object's name
 * @param uid its {@code metadata.uid}; null for metrics, which have none
 * @param labels its labels, for label selectors
 * @param body the JSON of the object without {@code apiVersion} and {@code kind}, as built-in list items
 *     are sent; never modified
 */
public record StoredObject(
        String key, String namespace, String name, String uid, Map<String, String> labels, byte[] body) {

    public StoredObject {
        labels = Map.copyOf(labels);
    }

    /**
     * The same object with another {@code metadata.resourceVersion}, as a deletion reports it. A body
     * stored raw that no parser accepts ({@link ObjectStore#putRaw}, hostile on purpose) is reported
     * as it was stored.
     */
    public StoredObject atResourceVersion(long resourceVersion) {
        ObjectNode tree;
        try {
            tree = (ObjectNode) Json.MAPPER.readTree(body);
        } catch (StreamConstraintsException hostile) {
            return this;
        }
        tree.withObjectProperty("metadata").put("resourceVersion", Long.toString(resourceVersion));
        return new StoredObject(key, namespace, name, uid, labels, Json.MAPPER.writeValueAsBytes(tree));
    }

    /** The storage key of an object. */
    public static String key(String namespace, String name) {
        return namespace == null ? name : namespace + "/" + name;
    }
}
