package io.k8scollector.collector.listing;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One listed object as the run takes it on; its type says what the reader kept of it: the
 * {@link Whole} object as a tree, still to be redacted and serialised, or a {@link Copied} one,
 * whose record the reader already wrote redacted and of which only the head is left.
 */
public sealed interface ListedObject permits ListedObject.Whole, ListedObject.Copied {

    /**
     * What of the object is there to observe: its {@code apiVersion}, {@code kind} and
     * {@code metadata}, and for a whole object everything else.
     */
    ObjectNode head();

    /** The object's metadata, or a missing node. */
    default JsonNode metadata() {
        return head().path("metadata");
    }

    /** The whole object, as the list response held it (less {@code metadata.managedFields}). */
    record Whole(ObjectNode object) implements ListedObject {
        @Override
        public ObjectNode head() {
            return object;
        }
    }

    /**
     * An object redacted as it was copied.
     *
     * @param head {@code apiVersion}, {@code kind} and {@code metadata} without its annotations
     * @param record the redacted record as it will be sent
     */
    record Copied(ObjectNode head, byte[] record) implements ListedObject {}
}
