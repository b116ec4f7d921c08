package io.k8scollector.receiver.ingest;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKey;
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

    /**
     * The records of the page's {@code kind.field()} array; other fields are ignored. {@code page}
     * is the input of {@code parser}, whose objects are stored as the slices sent.
     */
    static List<RecordRow> parse(JsonParser parser, byte[] page, RecordKind kind) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw ApiException.badRequest("The body must be a JSON object with a \"" + kind.field() + "\" array.");
        }
        List<RecordRow> rows = new ArrayList<>();
        MessageDigest digest = sha256();
        HashInput content = new HashInput();
        HashInput frame = new HashInput();
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
                if (parser.currentToken() != JsonToken.START_OBJECT) {
                    throw ApiException.badRequest(kind.field() + "[" + rows.size() + "] is not a JSON object.");
                }
                // Objects are most of the data: streamed in one pass. The other kinds are few.
                rows.add(kind == RecordKind.OBJECTS
                        ? StreamedObject.read(parser, page, digest, content, frame, rows.size())
                        : record(kind, parser.readValueAsTree(), rows.size()));
            }
        }
        if (!found) {
            throw ApiException.badRequest("The body has no \"" + kind.field() + "\" array.");
        }
        return rows;
    }

    private static RecordRow record(RecordKind kind, ObjectNode record, int index) {
        byte[] body = Json.MAPPER.writeValueAsBytes(record);
        byte[] hash = sha256(body);
        if (kind == RecordKind.HELM_RELEASES) {
            String name = required(record, "name", kind, index);
            String namespace = text(record, "namespace");
            String source = text(record, "source");
            // group and kind hold source and storage: a skipped release storage carries over by them
            return new RecordRow(kind, RecordKey.helmRelease(source, namespace, name).value(), null, null, source, text(record, "storage"),
                    namespace, name, null, body, hash, hash);
        }
        if (kind == RecordKind.TYPES) {
            String resource = required(record, "resource", kind, index);
            String group = text(record, "group") == null ? "" : text(record, "group");
            String version = text(record, "version");
            String apiVersion = group.isEmpty() ? version : group + "/" + version;
            return new RecordRow(kind, RecordKey.type(group, resource).value(), null, apiVersion, group, text(record, "kind"),
                    null, resource, null, body, hash, hash);
        }
        String uid = required(record, "uid", kind, index);
        return new RecordRow(kind, RecordKey.tree(uid).value(), uid, text(record, "apiVersion"), null, text(record, "kind"),
                text(record, "namespace"), text(record, "name"), null, body, hash, hash);
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
        return sha256().digest(bytes);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
