package io.k8scollector.testkit.server;

import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.store.StoredObject;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The form a list is answered in, as the request's {@code Accept} header negotiates it with the API
 * server's rules: the objects themselves, or their metadata only ({@code as=PartialObjectMetadataList;
 * g=meta.k8s.io;v=v1}: a {@code PartialObjectMetadataList} of {@code PartialObjectMetadata} items,
 * each holding the object's whole {@code metadata} and nothing else), the first media range served
 * winning.
 */
enum ListForm {
    OBJECTS,
    METADATA;

    static final String METADATA_API_VERSION = "meta.k8s.io/v1";
    static final String METADATA_LIST_KIND = "PartialObjectMetadataList";
    static final String METADATA_KIND = "PartialObjectMetadata";

    /**
     * The form {@code accept} asks for; empty when it names only forms that are not served
     * ({@code 406 Not Acceptable}). Media ranges without {@code as=} are answered with objects, as
     * they were before this server learnt metadata lists; metadata is not served when
     * {@code metadataServed} is false (as an old server).
     */
    static Optional<ListForm> negotiate(String accept, boolean metadataServed) {
        if (accept == null || accept.isBlank()) {
            return Optional.of(OBJECTS);
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            Map<String, String> params = new HashMap<>();
            for (int i = 1; i < parts.length; i++) {
                String[] pair = parts[i].split("=", 2);
                params.put(pair[0].trim().toLowerCase(Locale.ROOT), pair.length == 2 ? pair[1].trim() : "");
            }
            String as = params.get("as");
            if (as == null) {
                return Optional.of(OBJECTS);
            }
            if (metadataServed && as.equals(METADATA_LIST_KIND) && "meta.k8s.io".equals(params.get("g"))
                    && "v1".equals(params.get("v"))) {
                return Optional.of(METADATA);
            }
        }
        return Optional.empty();
    }

    /**
     * The items of a metadata list: each object's {@code metadata} alone, as a body without its
     * type ({@link ListBody} puts {@link #metadataItemPrefix()} in place of its opening brace).
     */
    static List<StoredObject> metadataOf(List<StoredObject> objects) {
        return objects.stream().map(ListForm::metadataOf).toList();
    }

    static byte[] metadataItemPrefix() {
        return ListBody.typedItemPrefix(METADATA_KIND, METADATA_API_VERSION);
    }

    private static StoredObject metadataOf(StoredObject object) {
        ObjectNode item = Json.MAPPER.createObjectNode();
        JsonNode metadata;
        try {
            metadata = Json.MAPPER.readTree(object.body()).path("metadata");
        } catch (JacksonException hostile) {
            // a body stored raw that no parser accepts: what the store knows of it
            metadata = Json.MAPPER.createObjectNode().put("name", object.name()).put("namespace", object.namespace());
        }
        item.set("metadata", metadata.isObject() ? metadata : Json.MAPPER.createObjectNode());
        return new StoredObject(object.key(), object.namespace(), object.name(), object.uid(), object.labels(),
                Json.MAPPER.writeValueAsBytes(item));
    }
}
