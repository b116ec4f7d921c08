package io.k8scollector.collector.redaction;

import io.k8scollector.protocol.Json;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * The canonical JSON of a tree, so that equal values give equal digests whatever their key order:
 * compact, UTF-8, object keys sorted by their UTF-16 code units, arrays in order, scalars as
 * Jackson writes them. Written straight to a stream: values are never copied to be sorted.
 */
public final class CanonicalJson {

    /** What a plain (unkeyed) digest starts with, as the protocol's {@code valuesDigest}. */
    public static final String SHA256_PREFIX = "sha256:";

    private CanonicalJson() {}

    /** Writes {@code node}'s canonical form to {@code out}; does not close it. */
    public static void write(JsonNode node, OutputStream out) {
        try (JsonGenerator generator = Json.MAPPER.createGenerator(out)) {
            write(node, generator);
        }
    }

    /** {@code sha256:<hex>} of {@code node}'s canonical form. */
    public static String sha256(JsonNode node) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
        write(node, new DigestOutputStream(OutputStream.nullOutputStream(), digest));
        return SHA256_PREFIX + HexFormat.of().formatHex(digest.digest());
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
