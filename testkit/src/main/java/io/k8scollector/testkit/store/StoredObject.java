package io.k8scollector.testkit.store;

import java.util.Map;

/**
 * One object as the server keeps it: serialised once, served by copying bytes.
 *
 * @param key the storage key, {@code namespace/name} or {@code name}; lists are in key order, as etcd's
 * @param namespace the namespace, null for cluster-scoped objects
 * @param name the object's name
 * @param uid its {@code metadata.uid}
 * @param labels its labels, for label selectors
 * @param body the JSON of the object without {@code apiVersion} and {@code kind}, as built-in list items
 *     are sent; never modified
 */
public record StoredObject(
        String key, String namespace, String name, String uid, Map<String, String> labels, byte[] body) {

    public StoredObject {
        labels = Map.copyOf(labels);
    }

    /** The storage key of an object. */
    public static String key(String namespace, String name) {
        return namespace == null ? name : namespace + "/" + name;
    }
}
