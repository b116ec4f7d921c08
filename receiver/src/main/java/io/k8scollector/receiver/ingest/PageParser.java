package io.k8scollector.receiver.ingest;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.server.ApiException;
import io.k8scollector.receiver.store.RecordRow;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads one page ({@code {"objects": [...]}} and the like) record by record and keys each
 * record as the protocol says: an object by {@code metadata.uid}, else by apiVersion, kind,
 * namespace and name; a Helm release by source, namespace and name; a type by group and
 * resource; a tree by its root's uid.
 */
final class PageParser {

    private PageParser() {}

    /** The records of the page's {@code kind.field()} array; other fields are ignored. */
    static List<RecordRow> parse(JsonParser parser, RecordKind kind) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw ApiException.badRequest("The body must be a JSON object with a \"" + kind.field() + "\" array.");
        }
        List<RecordRow> rows = new ArrayList<>();
        boolean found = false;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!field.equals(kind.field())) {
                parser.skipChildren();
                continue;
            }
            if (value != JsonToken.START_ARRAY) {
                throw ApiException.badRequest("\"" + kind.field() + "\" must be an array.");
            }
            found = true;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                JsonNode node = parser.readValueAsTree();
                if (!(node instanceof ObjectNode record)) {
                    throw ApiException.badRequest(kind.field() + "[" + rows.size() + "] is not a JSON object.");
                }
                rows.add(row(kind, record, rows.size()));
            }
        }
        if (!found) {
            throw ApiException.badRequest("The body has no \"" + kind.field() + "\" array.");
        }
        return rows;
    }

    private static RecordRow row(RecordKind kind, ObjectNode record, int index) {
        byte[] body = Json.MAPPER.writeValueAsBytes(record);
        // Only objects leave fields out of their content hash; other records hash as sent.
        byte[] hash = sha256(body);
        return switch (kind) {
            case OBJECTS -> object(record, body, hash, index);
            case HELM_RELEASES -> {
                String name = required(record, "name", kind, index);
                String namespace = text(record, "namespace");
                String source = text(record, "source");
                yield new RecordRow(kind, source + "/" + namespace + "/" + name, null, null, source, null,
                        namespace, name, null, body, hash, hash);
            }
            case TYPES -> {
                String resource = required(record, "resource", kind, index);
                String group = text(record, "group") == null ? "" : text(record, "group");
                String version = text(record, "version");
                String apiVersion = group.isEmpty() ? version : group + "/" + version;
                yield new RecordRow(kind, group + "/" + resource, null, apiVersion, group, text(record, "kind"),
                        null, resource, null, body, hash, hash);
            }
            case TREES -> {
                String uid = required(record, "uid", kind, index);
                yield new RecordRow(kind, uid, uid, text(record, "apiVersion"), null, text(record, "kind"),
                        text(record, "namespace"), text(record, "name"), null, body, hash, hash);
            }
        };
    }

    private static RecordRow object(ObjectNode object, byte[] body, byte[] hash, int index) {
        String apiVersion = required(object, "apiVersion", RecordKind.OBJECTS, index);
        String kind = required(object, "kind", RecordKind.OBJECTS, index);
        if (!(object.get("metadata") instanceof ObjectNode metadata)) {
            throw ApiException.badRequest("objects[" + index + "] has no metadata object.");
        }
        String uid = text(metadata, "uid");
        String namespace = text(metadata, "namespace");
        String name = text(metadata, "name");
        if (uid == null && name == null) {
            throw ApiException.badRequest("objects[" + index + "] has neither metadata.uid nor metadata.name.");
        }
        String key = uid != null ? "u:" + uid : "n:" + apiVersion + "/" + kind + "/" + namespace + "/" + name;
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        JsonNode labels = metadata.get("labels");
        String labelsJson = labels instanceof ObjectNode ? labels.toString() : null;
        // The content hash leaves out what changes without the object changing (docs/receiver.md).
        metadata.remove("resourceVersion");
        metadata.remove("managedFields");
        object.remove("status");
        return new RecordRow(RecordKind.OBJECTS, key, uid, apiVersion, group, kind, namespace, name, labelsJson,
                body, hash, sha256(Json.MAPPER.writeValueAsBytes(object)));
    }

    private static String required(ObjectNode record, String field, RecordKind kind, int index) {
        String value = text(record, field);
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest(kind.field() + "[" + index + "] has no \"" + field + "\" string.");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
