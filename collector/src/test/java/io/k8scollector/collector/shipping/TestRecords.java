package io.k8scollector.collector.shipping;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKey;
import io.k8scollector.protocol.RecordKind;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;

/** Records for the sink tests, keyed as the run keys them. */
final class TestRecords {

    private TestRecords() {}

    /**
     * An object of about {@code size} bytes (padded in its spec), with uid {@code uid-<name>}; its
     * plural resource is its kind in lower case with an {@code s}, and {@code namespace} may be null.
     */
    static ShippedRecord object(String name, String apiVersion, String kind, String namespace, int size) {
        String head = String.format("{\"apiVersion\":\"%s\",\"kind\":\"%s\",\"metadata\":{\"name\":\"%s\",%s"
                + "\"uid\":\"uid-%s\"},\"spec\":{\"padding\":\"", apiVersion, kind, name,
                namespace == null ? "" : "\"namespace\":\"" + namespace + "\",", name);
        String tail = "\"}}";
        byte[] json = (head + "p".repeat(Math.max(0, size - head.length() - tail.length())) + tail)
                .getBytes(StandardCharsets.UTF_8);
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return ShippedRecord.object(group, apiVersion.substring(slash + 1), kind.toLowerCase() + "s", kind,
                "uid-" + name, namespace, name, json);
    }

    /** A Helm release, type or tree record of {@code json}, keyed and named by its fields. */
    static ShippedRecord record(RecordKind kind, String json) {
        JsonNode node = Json.MAPPER.readTree(json);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        String namespace = node.path("namespace").asString("");
        String name = node.path("name").asString("");
        return switch (kind) {
            case HELM_RELEASES -> new ShippedRecord(
                    RecordKey.helmRelease(node.path("source").asString(""), namespace, name),
                    new ShippedRecord.RecordName(qualified(namespace, name)), bytes);
            case TYPES -> new ShippedRecord(
                    RecordKey.type(node.path("group").asString(""), node.path("resource").asString("")),
                    new ShippedRecord.RecordName(qualified(node.path("group").asString(""),
                            node.path("resource").asString(""))), bytes);
            case TREES -> new ShippedRecord(RecordKey.tree(node.path("uid").asString("")),
                    new ShippedRecord.RecordName(qualified(namespace, name)), bytes);
            case OBJECTS -> throw new IllegalArgumentException("make objects with object(...)");
        };
    }

    private static String qualified(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }
}
