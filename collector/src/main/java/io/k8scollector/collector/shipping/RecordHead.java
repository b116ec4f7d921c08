package io.k8scollector.collector.shipping;

import io.k8scollector.protocol.Json;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The identifying fields of a serialised record, read with a streaming parser that skips every
 * nested value except {@code metadata}: enough to name a record the endpoint refused alone.
 * Missing fields are empty strings.
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
