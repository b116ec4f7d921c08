package io.k8scollector.collector.listing;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One listed object as the run takes it on.
 *
 * @param object the whole object; or, when the reader already wrote the redacted record, only its
 *     head: {@code apiVersion}, {@code kind} and {@code metadata} without its annotations (what
 *     enrichment reads of most types)
 * @param record the redacted record as it will be sent, or null when the object still has to be
 *     redacted and serialised
 */
public record ListedObject(ObjectNode object, byte[] record) {

    /** The object's metadata, or a missing node. */
    public JsonNode metadata() {
        return object.path("metadata");
    }
}
