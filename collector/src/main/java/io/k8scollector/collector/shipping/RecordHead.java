package io.k8scollector.collector.shipping;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The identifying fields of a serialised record, read with a streaming parser that skips every
 * nested value except {@code metadata} and stops once an object's {@code apiVersion},
 * {@code kind} and {@code metadata} are read (the API server writes them first): enough to key a
 * record as the endpoint does, and to name one the endpoint refused alone. Missing fields are
 * empty strings.
 */
record RecordHead(Map<String, String> top, Map<String, String> metadata) {

    static RecordHead of(byte[] record) {
        Map<String, String> top = new HashMap<>();
        Map<String, String> metadata = new HashMap<>();
        try (JsonParser parser = Json.MAPPER.createParser(record)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (value == JsonToken.START_OBJECT && field.equals("metadata")) {
                        readScalars(parser, metadata);
                        if (top.containsKey("apiVersion") && top.containsKey("kind")) {
                            break;
                        }
                    } else if (value.isScalarValue()) {
                        top.put(field, parser.getString());
                    } else {
                        parser.skipChildren();
                    }
                }
            }
        } catch (JacksonException e) {
            // a record that does not parse is still named by whatever was read before
        }
        return new RecordHead(top, metadata);
    }

    /**
     * The key the endpoint stores {@code kind} by (docs/protocol.md): an object's uid, else its
     * apiVersion, kind, namespace and name; a Helm release's source, namespace and name; a type's
     * group and resource; a tree's root uid. Empty when the record carries none of them.
     */
    String key(RecordKind kind) {
        String key = switch (kind) {
            case OBJECTS -> metadata("uid").isEmpty()
                    ? String.join("/", top("apiVersion"), top("kind"), metadata("namespace"), metadata("name"))
                    : metadata("uid");
            case HELM_RELEASES -> String.join("/", top("source"), top("namespace"), top("name"));
            case TYPES -> String.join("/", top("group"), top("resource"));
            case TREES -> top("uid");
        };
        return key.replace("/", "").isEmpty() ? "" : key;
    }

    String top(String field) {
        return top.getOrDefault(field, "");
    }

    String metadata(String field) {
        return metadata.getOrDefault(field, "");
    }

    /** The group of an object's {@code apiVersion}: empty for the core group. */
    String group() {
        String apiVersion = top("apiVersion");
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** The version of an object's {@code apiVersion}. */
    String version() {
        String apiVersion = top("apiVersion");
        return apiVersion.substring(apiVersion.indexOf('/') + 1);
    }

    private static void readScalars(JsonParser parser, Map<String, String> into) {
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            if (parser.nextToken().isScalarValue()) {
                into.put(field, parser.getString());
            } else {
                parser.skipChildren();
            }
        }
    }
}
