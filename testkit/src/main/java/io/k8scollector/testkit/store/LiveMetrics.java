package io.k8scollector.testkit.store;

import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.catalog.TypeKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What metrics-server reports: a PodMetrics for each Pod and a NodeMetrics for each Node, which the
 * store keeps in step with them. Like the real ones they carry no uid; the usage figures derive from
 * the pod's or node's uid, so one cluster always reports the same figures.
 */
final class LiveMetrics {

    static final String GROUP = "metrics.k8s.io";
    private static final TypeKey PODS = new TypeKey("", "pods");
    private static final TypeKey NODES = new TypeKey("", "nodes");

    private LiveMetrics() {}

    /** The metrics type that mirrors {@code type}, if any. */
    static Optional<TypeKey> mirrorOf(TypeKey type) {
        return type.equals(PODS) || type.equals(NODES)
                ? Optional.of(new TypeKey(GROUP, type.resource()))
                : Optional.empty();
    }

    /** The metrics of a stored pod or node ({@code object} without apiVersion and kind). */
    static ObjectNode of(TypeKey type, ObjectNode object) {
        JsonNode metadata = object.path("metadata");
        int seed = metadata.path("uid").asString("").hashCode();
        ObjectNode metrics = Json.MAPPER.createObjectNode();
        metrics.put("apiVersion", GROUP + "/v1beta1");
        metrics.put("kind", type.equals(PODS) ? "PodMetrics" : "NodeMetrics");
        ObjectNode meta = metrics.putObject("metadata");
        meta.put("name", metadata.path("name").asString());
        if (metadata.has("namespace")) {
            meta.put("namespace", metadata.path("namespace").asString());
        }
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        meta.put("creationTimestamp", now);
        if (metadata.has("labels")) {
            meta.set("labels", metadata.get("labels"));
        }
        metrics.put("timestamp", now);
        if (type.equals(PODS)) {
            metrics.put("window", "15.011s");
            for (JsonNode container : object.path("spec").path("containers")) {
                ObjectNode usage = metrics.withArray("containers").addObject();
                usage.put("name", container.path("name").asString());
                usage.set("usage", usage(1 + Math.floorMod(seed, 400), 20 + Math.floorMod(seed >>> 9, 400)));
            }
        } else {
            metrics.put("window", "20.05s");
            metrics.set("usage", usage(100 + Math.floorMod(seed, 3000), 1000 + Math.floorMod(seed >>> 9, 12000)));
        }
        return metrics;
    }

    private static ObjectNode usage(int milliCpu, int mebibytes) {
        ObjectNode usage = Json.MAPPER.createObjectNode();
        usage.put("cpu", milliCpu + "m");
        usage.put("memory", mebibytes + "Mi");
        return usage;
    }
}
