package io.k8scollector.collector.watching;

import io.k8scollector.protocol.RecordKey;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What identifies a watched object and what enrichment reads of it, taken from its metadata.
 *
 * @param uid {@code metadata.uid}, empty when the object has none (metrics)
 * @param namespace empty for a cluster-scoped object
 * @param resourceVersion {@code metadata.resourceVersion}, empty when absent
 * @param owners its {@code ownerReferences}, in order
 */
public record ObjectHead(String uid, String apiVersion, String kind, String namespace, String name,
        String resourceVersion, List<Owner> owners) {

    /**
     * One owner reference.
     *
     * @param controller whether the reference says {@code controller: true}
     */
    public record Owner(String uid, boolean controller) {}

    public ObjectHead {
        owners = List.copyOf(owners);
    }

    /** The head of {@code object}, whose {@code apiVersion} and {@code kind} are set. */
    public static ObjectHead of(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        List<Owner> owners = new ArrayList<>();
        for (JsonNode owner : metadata.path("ownerReferences")) {
            String uid = owner.path("uid").asString("");
            if (!uid.isEmpty()) {
                owners.add(new Owner(uid, owner.path("controller").asBoolean(false)));
            }
        }
        return new ObjectHead(metadata.path("uid").asString(""), object.path("apiVersion").asString(""),
                object.path("kind").asString(""), metadata.path("namespace").asString(""),
                metadata.path("name").asString(""), metadata.path("resourceVersion").asString(""), owners);
    }

    /** The record key the object is shipped and deleted by. */
    public RecordKey key() {
        return RecordKey.object(uid, apiVersion, kind, namespace, name);
    }
}
