package io.k8scollector.collector.listing;

import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.protocol.Json;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads one item of a list response. Three ways: {@link #TREE}, the whole object as a tree, for what
 * needs all of it; {@link #METADATA}, the head of a metadata-only list's item, for a resync; and the
 * redaction stage's copy, which writes the redacted record as it reads and keeps only the object's
 * head, for the bulk of the objects of a cluster.
 */
@FunctionalInterface
public interface ItemReader {

    /**
     * The whole object as a tree, with {@code apiVersion} and {@code kind} set (the API server
     * leaves them out of the items of built-in lists) and without {@code metadata.managedFields}.
     */
    ItemReader TREE = (type, parser, source) -> new ListedObject.Whole(typed(type, parser.readValueAsTree()));

    /**
     * An item of a metadata-only list ({@code PartialObjectMetadata}) as the head of an object of
     * {@code type}: its {@code apiVersion} and {@code kind} are the type's (the item's own are
     * {@code meta.k8s.io/v1} and {@code PartialObjectMetadata}), its {@code metadata} as listed
     * without {@code managedFields}; there is nothing else to it.
     */
    ItemReader METADATA = (type, parser, source) -> {
        ObjectNode item = parser.readValueAsTree();
        ObjectNode head = Json.MAPPER.createObjectNode();
        head.put("apiVersion", type.apiVersion());
        head.put("kind", type.kind());
        if (item.path("metadata") instanceof ObjectNode metadata) {
            metadata.remove("managedFields");
            head.set("metadata", metadata);
        }
        return new ListedObject.Whole(head);
    };

    /**
     * Reads the item of {@code type} that starts at the parser's current {@code START_OBJECT},
     * through its {@code END_OBJECT}; {@code source} holds the bytes the parser reads.
     */
    ListedObject read(ResourceType type, JsonParser parser, ItemSource source);

    private static ObjectNode typed(ResourceType type, ObjectNode item) {
        if (item.path("metadata") instanceof ObjectNode metadata) {
            metadata.remove("managedFields");
        }
        if (item.has("apiVersion") && item.has("kind")) {
            return item;
        }
        ObjectNode typed = Json.MAPPER.createObjectNode();
        typed.put("apiVersion", type.apiVersion());
        typed.put("kind", type.kind());
        item.remove("apiVersion");
        item.remove("kind");
        return typed.setAll(item);
    }
}
