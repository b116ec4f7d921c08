package io.k8scollector.collector.watching;

import io.k8scollector.collector.discovery.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * One change of one object, as a watch delivered it. {@code object} is the whole object (with
 * {@code apiVersion} and {@code kind}, without {@code metadata.managedFields}); it is the listener's
 * for the duration of the call and is not kept by the watch.
 *
 * @param change what happened; for {@link Change#DELETED} the object's last state
 */
public record WatchEvent(ResourceType type, Change change, ObjectHead head, ObjectNode object) {

    /** The kinds of change a watch reports (its {@code ADDED}, {@code MODIFIED}, {@code DELETED} events). */
    public enum Change {
        ADDED,
        MODIFIED,
        DELETED
    }
}
