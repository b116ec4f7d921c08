package io.k8scollector.testkit;

import io.k8scollector.protocol.Json;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one builder of small Kubernetes objects for tests and benchmarks, arguments in the order
 * Kubernetes names an object by: apiVersion, kind, namespace (null when cluster-scoped), name.
 */
public final class KubeObjects {

    private KubeObjects() {}

    /** A bare object: {@code apiVersion}, {@code kind} and {@code metadata} with its name and namespace only. */
    public static ObjectNode object(String apiVersion, String kind, String namespace, String name) {
        ObjectNode object = Json.MAPPER.createObjectNode();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        return object;
    }

    /** An {@link #object} with a random uid, as the API server gives every object. */
    public static ObjectNode identified(String apiVersion, String kind, String namespace, String name) {
        ObjectNode object = object(apiVersion, kind, namespace, name);
        object.withObject("metadata").put("uid", UUID.randomUUID().toString());
        return object;
    }

    /** Adds {@code owner} to {@code object}'s owner references, as its controller or not; returns {@code object}. */
    public static ObjectNode owned(ObjectNode object, ObjectNode owner, boolean controller) {
        object.withObject("metadata").withArray("ownerReferences").addObject()
                .put("apiVersion", owner.get("apiVersion").stringValue())
                .put("kind", owner.get("kind").stringValue())
                .put("name", owner.at("/metadata/name").stringValue())
                .put("uid", owner.at("/metadata/uid").stringValue())
                .put("controller", controller);
        return object;
    }
}
