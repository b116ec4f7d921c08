package io.k8scollector.receiver;

import io.k8scollector.protocol.Json;
import tools.jackson.databind.node.ObjectNode;

/** Small Kubernetes objects for tests. */
public final class TestObjects {

    private TestObjects() {}

    /** A ConfigMap with uid {@code uid}, one label {@code app} and one data entry. */
    public static ObjectNode configMap(String uid, String namespace, String name, String app, String data) {
        ObjectNode object = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        ObjectNode meta = object.putObject("metadata").put("uid", uid).put("namespace", namespace).put("name", name)
                .put("resourceVersion", "1");
        meta.putObject("labels").put("app", app);
        object.putObject("data").put("key", data);
        return object;
    }

    /** A Deployment (group apps) with uid {@code uid}. */
    public static ObjectNode deployment(String uid, String namespace, String name) {
        ObjectNode object = Json.MAPPER.createObjectNode().put("apiVersion", "apps/v1").put("kind", "Deployment");
        object.putObject("metadata").put("uid", uid).put("namespace", namespace).put("name", name);
        object.putObject("spec").put("replicas", 2);
        return object;
    }

    /** The type record of ConfigMaps or Deployments. */
    public static ObjectNode type(String group, String version, String kind, String resource) {
        ObjectNode type = Json.MAPPER.createObjectNode().put("group", group).put("version", version).put("kind", kind)
                .put("resource", resource).put("namespaced", true).put("collected", true);
        type.putArray("verbs").add("list");
        return type;
    }
}
