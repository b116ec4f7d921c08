package io.k8scollector.receiver.ingest;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.server.ApiException;
import io.k8scollector.receiver.store.RecordRow;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Set;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads one Kubernetes object from a parser in a single pass, without building a tree: the
 * stored body is the object's slice of the page as sent, and every event but those of
 * {@code status}, {@code metadata.resourceVersion} and {@code metadata.managedFields} goes to the
 * content hash (docs/receiver.md). On the way it picks up what the object is keyed and filtered by.
 */
final class StreamedObject {

    private static final Set<String> NOT_CONTENT_METADATA = Set.of("resourceVersion", "managedFields");

    private final MessageDigest contentDigest = PageParser.sha256();
    private final JsonGenerator content =
            Json.MAPPER.createGenerator(new DigestOutputStream(OutputStream.nullOutputStream(), contentDigest));
    private String apiVersion;
    private String kind;
    private boolean hasMetadata;
    private String uid;
    private String namespace;
    private String name;
    private String labels;

    private StreamedObject() {}

    /**
     * The object whose START_OBJECT is the parser's current token, as objects[{@code index}];
     * {@code page} is the parser's input.
     */
    static RecordRow read(JsonParser parser, byte[] page, int index) {
        int start = (int) parser.currentTokenLocation().getByteOffset();
        StreamedObject object = new StreamedObject();
        object.copyTopLevel(parser);
        int end = (int) parser.currentTokenLocation().getByteOffset() + 1;
        return object.row(index, Arrays.copyOfRange(page, start, end));
    }

    private void copyTopLevel(JsonParser parser) {
        content.copyCurrentEventExact(parser);
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "status" -> parser.skipChildren();
                case "metadata" -> {
                    writeName(field, true);
                    if (value == JsonToken.START_OBJECT) {
                        hasMetadata = true;
                        copyMetadata(parser);
                    } else {
                        copyValue(parser, true);
                    }
                }
                default -> {
                    writeName(field, true);
                    if (value == JsonToken.VALUE_STRING && field.equals("apiVersion")) {
                        apiVersion = parser.getString();
                    } else if (value == JsonToken.VALUE_STRING && field.equals("kind")) {
                        kind = parser.getString();
                    }
                    copyValue(parser, true);
                }
            }
        }
        content.copyCurrentEventExact(parser);
    }

    private void copyMetadata(JsonParser parser) {
        content.copyCurrentEventExact(parser);
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            boolean isContent = !NOT_CONTENT_METADATA.contains(field);
            writeName(field, isContent);
            if (value == JsonToken.VALUE_STRING) {
                switch (field) {
                    case "uid" -> uid = parser.getString();
                    case "namespace" -> namespace = parser.getString();
                    case "name" -> name = parser.getString();
                    default -> { }
                }
            }
            if (field.equals("labels") && value == JsonToken.START_OBJECT) {
                ByteArrayOutputStream labelBytes = new ByteArrayOutputStream(256);
                try (JsonGenerator labelJson = Json.MAPPER.createGenerator(labelBytes)) {
                    copyValue(parser, true, labelJson);
                }
                labels = labelBytes.toString(StandardCharsets.UTF_8);
            } else {
                copyValue(parser, isContent);
            }
        }
        content.copyCurrentEventExact(parser);
    }

    private void writeName(String field, boolean isContent) {
        if (isContent) {
            content.writeName(field);
        }
    }

    /**
     * Copies the value at the parser's current token, a scalar or a whole structure, to the
     * content hash, or passes over it.
     */
    private void copyValue(JsonParser parser, boolean isContent) {
        if (isContent) {
            copyValue(parser, true, null);
        } else {
            parser.skipChildren();
        }
    }

    private void copyValue(JsonParser parser, boolean isContent, JsonGenerator also) {
        int depth = 0;
        do {
            JsonToken token = parser.currentToken();
            if (isContent) {
                content.copyCurrentEventExact(parser);
            }
            if (also != null) {
                also.copyCurrentEventExact(parser);
            }
            if (token.isStructStart()) {
                depth++;
            } else if (token.isStructEnd()) {
                depth--;
            }
        } while (depth > 0 && parser.nextToken() != null);
    }

    private RecordRow row(int index, byte[] bytes) {
        content.close();
        if (apiVersion == null || apiVersion.isEmpty()) {
            throw missing(index, "\"apiVersion\" string");
        }
        if (kind == null || kind.isEmpty()) {
            throw missing(index, "\"kind\" string");
        }
        if (!hasMetadata) {
            throw ApiException.badRequest("objects[" + index + "] has no metadata object.");
        }
        if (uid == null && name == null) {
            throw ApiException.badRequest("objects[" + index + "] has neither metadata.uid nor metadata.name.");
        }
        String key = uid != null ? "u:" + uid : "n:" + apiVersion + "/" + kind + "/" + namespace + "/" + name;
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return new RecordRow(RecordKind.OBJECTS, key, uid, apiVersion, group, kind, namespace, name, labels,
                bytes, PageParser.sha256(bytes), contentDigest.digest());
    }

    private static ApiException missing(int index, String what) {
        return ApiException.badRequest("objects[" + index + "] has no " + what + ".");
    }
}
