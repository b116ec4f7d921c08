package io.k8scollector.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The Kubernetes objects of a rendered chart, parsed with Jackson's YAML. */
record Manifests(List<JsonNode> objects) {

    private static final YAMLMapper YAML = new YAMLMapper();

    static Manifests parse(String yaml) {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && document.isObject()) {
                    objects.add(document);
                }
            }
        }
        return new Manifests(List.copyOf(objects));
    }

    List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> o.path("kind").asString().equals(kind)).toList();
    }

    /** The one object of this kind; fails when there is none or more than one. */
    JsonNode one(String kind) {
        List<JsonNode> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " but the chart rendered " + found.size());
        }
        return found.get(0);
    }

    JsonNode named(String kind, String name) {
        return ofKind(kind).stream()
                .filter(o -> o.path("metadata").path("name").asString().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    JsonNode cronJobPod() {
        return one("CronJob").path("spec").path("jobTemplate").path("spec").path("template").path("spec");
    }

    JsonNode collectorContainer() {
        return cronJobPod().path("containers").get(0);
    }

    JsonNode deploymentPod() {
        return one("Deployment").path("spec").path("template").path("spec");
    }

    JsonNode receiverContainer() {
        return deploymentPod().path("containers").get(0);
    }

    /** A container's env entries that have a value, by name. */
    static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new TreeMap<>();
        container.path("env").forEach(e -> {
            if (e.has("value")) {
                env.put(e.path("name").asString(), e.path("value").asString());
            }
        });
        return env;
    }

    /** A container's mount paths, by volume name. */
    static Map<String, String> mounts(JsonNode container) {
        Map<String, String> mounts = new TreeMap<>();
        container.path("volumeMounts").forEach(m -> mounts.put(m.path("name").asString(), m.path("mountPath").asString()));
        return mounts;
    }

    /** A label map (or any map of strings), by key. */
    static Map<String, String> labels(JsonNode map) {
        Map<String, String> labels = new TreeMap<>();
        map.properties().forEach(entry -> labels.put(entry.getKey(), entry.getValue().asString()));
        return labels;
    }

    /** The strings of a YAML sequence, in order. */
    static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    /** A ConfigMap entry written one value per line, as a list. */
    List<String> configLines(String key) {
        String value = one("ConfigMap").path("data").path(key).asString();
        return value.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }
}
