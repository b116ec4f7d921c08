package io.k8scollector.collector.digest;

import io.k8scollector.protocol.Json;
import java.io.OutputStream;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * The canonical JSON of a tree, so that equal values give equal digests whatever their key order:
 * compact, UTF-8, object keys sorted by their UTF-16 code units, arrays in order, scalars as
 * Jackson writes them. Written straight to a stream: values are never copied to be sorted. Only
 * ever digested under the redaction key ({@link KeyedDigest#ofJson}): a plain hash of values
 * could be reversed by whoever guesses them.
 */
final class CanonicalJson {

    private CanonicalJson() {}

    /** Writes {@code node}'s canonical form to {@code out}; does not close it. */
    static void write(JsonNode node, OutputStream out) {
        try (JsonGenerator generator = Json.MAPPER.createGenerator(out)) {
            write(node, generator);
        }
    }

    private static void write(JsonNode node, JsonGenerator generator) {
        if (node.isObject()) {
            generator.writeStartObject();
            node.properties().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
                generator.writeName(entry.getKey());
                write(entry.getValue(), generator);
            });
            generator.writeEndObject();
        } else if (node.isArray()) {
            generator.writeStartArray();
            for (JsonNode element : node.values()) {
                write(element, generator);
            }
            generator.writeEndArray();
        } else {
            generator.writeTree(node);
        }
    }
}
