package io.k8scollector.collector.enrichment;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.TreeNode;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.util.ByteArrayBuilder;

/**
 * An ownership tree's record as JSON, written token by token: the same bytes as the protocol's
 * mapper writes for a {@link TreeNode} (its fields in order, null ones left out).
 *
 * <p>Why not the mapper: its bean serialization of the recursive {@code TreeNode} (each field read
 * through a method handle, the children through the list serializer and back) is the biggest
 * thing the C2 compiler compiles in a run: one compilation of
 * {@code BeanPropertyWriter.serializeAsProperty} held 67 MB of compiler arena for several seconds
 * at the end of the first full fetching, the collector's peak resident memory (docs/deploy.md,
 * "Memory"). This writer compiles to a few small methods.
 */
public final class TreeJson {

    private TreeJson() {}

    /** The record of the tree rooted at {@code root}. */
    public static byte[] bytes(TreeNode root) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(256);
                JsonGenerator json = Json.MAPPER.createGenerator(out)) {
            write(json, root);
            json.flush();
            return out.toByteArray();
        }
    }

    private static void write(JsonGenerator json, TreeNode node) {
        json.writeStartObject();
        property(json, "uid", node.uid());
        property(json, "apiVersion", node.apiVersion());
        property(json, "kind", node.kind());
        property(json, "name", node.name());
        property(json, "namespace", node.namespace());
        json.writeName("children");
        json.writeStartArray();
        for (TreeNode child : node.children()) {
            write(json, child);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void property(JsonGenerator json, String name, String value) {
        if (value != null) {
            json.writeStringProperty(name, value);
        }
    }
}
