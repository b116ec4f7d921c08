package io.k8scollector.collector.run;

import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.shipping.ShippedRecord;
import io.k8scollector.collector.tracking.PendingChanges;
import io.k8scollector.protocol.RecordKind;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * The types a continuous run listed or watched, by apiVersion and kind: what names a pending
 * object for the sink and for the index of what was shipped. Thread-safe: the full fetching's
 * lister threads add to it.
 */
final class WatchedTypes {

    private final Map<String, ResourceType> byApiKind = new ConcurrentHashMap<>();

    void add(ResourceType type) {
        byApiKind.put(type.apiVersion() + "/" + type.kind(), type);
    }

    /** The type {@code object} was listed or watched as, by its apiVersion and kind; null when none is known. */
    ResourceType of(JsonNode object) {
        return byApiKind.get(object.path("apiVersion").asString("") + "/" + object.path("kind").asString(""));
    }

    /**
     * A pending record as the sink takes it: a Helm release named by its key; an object
     * ({@code object}: its record parsed) named by its type, else its apiVersion and kind.
     */
    ShippedRecord record(PendingChanges.Change change, JsonNode object) {
        if (change.key().kind() != RecordKind.OBJECTS) {
            return new ShippedRecord(change.key(), new ShippedRecord.RecordName(change.key().value()), change.record());
        }
        JsonNode metadata = object.path("metadata");
        String apiVersion = object.path("apiVersion").asString("");
        ResourceType type = of(object);
        int slash = apiVersion.indexOf('/');
        String group = type != null ? type.group() : slash < 0 ? "" : apiVersion.substring(0, slash);
        return ShippedRecord.object(group, apiVersion.substring(slash + 1),
                type == null ? object.path("kind").asString("") : type.resource(), object.path("kind").asString(""),
                metadata.path("uid").asString(null), metadata.path("namespace").asString(null),
                metadata.path("name").asString(null), change.record());
    }
}
