package io.k8scollector.testkit.store;

/**
 * One change of a stored object, as a watch reports it.
 *
 * @param type what happened
 * @param revision the store's revision of the change; the object's {@code resourceVersion}
 * @param object the object after the change; for a deletion its last state, at the deletion's revision
 * @param previous the object before the change, null when it was created
 */
public record WatchEvent(Type type, long revision, StoredObject object, StoredObject previous) {

    /** The kinds of change a watch reports. */
    public enum Type {
        ADDED, MODIFIED, DELETED
    }
}
