package io.k8scollector.receiver;

import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Three clusters sent through the real ingest (start, pages of every record kind, commit), shaped
 * as a collector sends them: Deployments over ReplicaSets over Pods, a StatefulSet with its Pod and
 * claim, a DaemonSet, a bare Pod, ConfigMaps past one page of the browser, Namespaces, the
 * ownership trees of all of them, a Helm release and an Argo CD application. {@code prod-eu} runs
 * the newest chart and images, {@code prod-us} older ones, and {@code staging} (which the tests'
 * limited keys may not read) a chart version and an image nobody else runs. A ConfigMap carries
 * markup in an annotation and a label value to prove the page renders it as text.
 */
final class InventoryFixture {

    /** Markup that would run script if a page put it into the DOM as HTML. */
    static final String MARKUP = "<img src=x onerror=\"window.injected=1\">";
    /** ConfigMaps of prod-eu's namespace shop besides web's own: more than one page of the browser's 50. */
    static final int CONFIG_MAPS = 60;

    private final TestReceiver receiver;

    InventoryFixture(TestReceiver receiver) {
        this.receiver = receiver;
    }

    /** Sends and commits the three clusters, each prefixed with {@code prefix} (tests sharing one receiver use their own). */
    void load(String prefix) {
        cluster(prefix + "prod-eu", "nginx:1.27.3", "1.4.3", 2, 2, true);
        cluster(prefix + "prod-us", "nginx:1.25.5", "1.3.0", 3, 3, false);
        cluster(prefix + "staging", "registry.example.com:5000/staging/only:9.9", "9.9.9", 1, 1, false);
    }

    /**
     * Sends prod-eu (with {@code prefix}) again with its Deployment web scaled from 2 to 3
     * replicas, its Pods not yet following: a second snapshot in which only the Deployment changed.
     */
    void scaleWeb(String prefix) {
        cluster(prefix + "prod-eu", "nginx:1.27.3", "1.4.3", 2, 3, true);
    }

    /** {@code desired}: the Deployment's spec.replicas; {@code replicas}: how many Pods run. */
    private void cluster(String cluster, String webImage, String chartVersion, int replicas, int desired, boolean large) {
        List<ObjectNode> objects = new ArrayList<>();
        List<Object> trees = new ArrayList<>();
        String p = cluster + "-";
        for (String namespace : List.of("shop", "payments", "kube-system")) {
            objects.add(object("v1", "Namespace", null, namespace, p + "ns-" + namespace));
        }

        ObjectNode deployment = object("apps/v1", "Deployment", "shop", "web", p + "dep-web");
        labels(deployment, "app", "web", "app.kubernetes.io/managed-by", "Helm");
        deployment.putObject("spec").put("replicas", desired);
        ObjectNode replicaSet = owned(object("apps/v1", "ReplicaSet", "shop", "web-7c9d", p + "rs-web"), deployment);
        labels(replicaSet, "app", "web", "pod-template-hash", "7c9d");
        objects.addAll(List.of(deployment, replicaSet));
        List<Object> webPods = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            ObjectNode pod = pod(p + "pod-web-" + i, "shop", "web-7c9d-" + (char) ('a' + i), replicaSet,
                    List.of("busybox:1.36"), List.of(webImage, "ghcr.io/example/envoy@sha256:" + "e".repeat(64)));
            labels(pod, "app", "web", "pod-template-hash", "7c9d");
            objects.add(pod);
            webPods.add(node(pod));
        }
        trees.add(node(deployment, node(replicaSet, webPods.toArray())));

        ObjectNode statefulSet = object("apps/v1", "StatefulSet", "payments", "db", p + "sts-db");
        labels(statefulSet, "app", "db");
        ObjectNode dbPod = pod(p + "pod-db-0", "payments", "db-0", statefulSet, List.of(), List.of("postgres:16.6"));
        labels(dbPod, "app", "db");
        ObjectNode claim = object("v1", "PersistentVolumeClaim", "payments", "data-db-0", p + "pvc-db");
        objects.addAll(List.of(statefulSet, dbPod, claim));
        trees.add(node(statefulSet, node(dbPod), node(claim)));

        ObjectNode daemonSet = object("apps/v1", "DaemonSet", "kube-system", "node-exporter", p + "ds-ne");
        ObjectNode exporter = pod(p + "pod-ne", "kube-system", "node-exporter-x7", daemonSet, List.of(),
                List.of("quay.io/prometheus/node-exporter:v1.8.2"));
        objects.addAll(List.of(daemonSet, exporter));
        trees.add(node(daemonSet, node(exporter)));

        objects.add(pod(p + "pod-debug", "shop", "debug", null, List.of(), List.of("busybox")));
        ObjectNode service = object("v1", "Service", "shop", "web", p + "svc-web");
        labels(service, "app", "web");
        objects.add(service);

        ObjectNode settings = object("v1", "ConfigMap", "shop", "web-settings", p + "cm-web");
        labels(settings, "app", "web", "note", "markup");
        ((ObjectNode) settings.get("metadata")).putObject("annotations").put("description", MARKUP);
        settings.putObject("data").put("greeting", MARKUP);
        objects.add(settings);
        for (int i = 0; large && i < CONFIG_MAPS; i++) {
            ObjectNode map = object("v1", "ConfigMap", "shop", String.format("cache-%03d", i), p + "cm-" + i);
            labels(map, "app", i % 2 == 0 ? "cache" : "web", "tier", "backend");
            map.putObject("data").put("key", "value-" + i);
            objects.add(map);
        }

        List<Object> releases = List.of(
                Map.of("name", "storefront", "namespace", "shop", "revision", 3, "status", "deployed", "source", "helm",
                        "storage", "secret", "chart", Map.of("name", "storefront", "version", chartVersion, "appVersion", "2.14.3"),
                        "resources", List.of(Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", "web", "namespace", "shop"),
                                Map.of("apiVersion", "v1", "kind", "Service", "name", "web"))),
                Map.of("name", "payments-db", "namespace", "argocd", "revision", 1, "status", "Synced", "source", "argocd",
                        "storage", "argocd", "destinationNamespace", "payments",
                        "chart", Map.of("name", "postgresql", "version", "15.5.0", "appVersion", "16.6.0"),
                        "resources", List.of(Map.of("apiVersion", "apps/v1", "kind", "StatefulSet", "name", "db"))));

        String fetching = FetchingId.generate(Instant.now());
        receiver.start(cluster, fetching, "uid-" + cluster);
        receiver.page(cluster, fetching, RecordKind.OBJECTS, objects);
        receiver.page(cluster, fetching, RecordKind.HELM_RELEASES, releases);
        receiver.page(cluster, fetching, RecordKind.TREES, trees);
        receiver.page(cluster, fetching, RecordKind.TYPES, List.of(TestObjects.type("", "v1", "Pod", "pods"),
                TestObjects.type("apps", "v1", "Deployment", "deployments")));
        TestReceiver.expect204(receiver.commit(cluster, fetching, Map.of("counts", Map.of("objects", objects.size(),
                "helmReleases", releases.size(), "trees", trees.size(), "types", 2))));
    }

    private static ObjectNode object(String apiVersion, String kind, String namespace, String name, String uid) {
        ObjectNode object = Json.MAPPER.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode meta = object.putObject("metadata").put("name", name).put("uid", uid)
                .put("resourceVersion", "1").put("creationTimestamp", "2026-11-02T09:30:00Z");
        if (namespace != null) {
            meta.put("namespace", namespace);
        }
        return object;
    }

    private static void labels(ObjectNode object, String... pairs) {
        ObjectNode labels = ((ObjectNode) object.get("metadata")).putObject("labels");
        for (int i = 0; i < pairs.length; i += 2) {
            labels.put(pairs[i], pairs[i + 1]);
        }
    }

    private static ObjectNode owned(ObjectNode object, ObjectNode owner) {
        ((ObjectNode) object.get("metadata")).putArray("ownerReferences").addObject()
                .put("apiVersion", owner.get("apiVersion").asString()).put("kind", owner.get("kind").asString())
                .put("name", owner.get("metadata").get("name").asString())
                .put("uid", owner.get("metadata").get("uid").asString()).put("controller", true);
        return object;
    }

    /** A running Pod with init containers and containers of {@code images}, and the digests its runtime resolved. */
    private static ObjectNode pod(String uid, String namespace, String name, ObjectNode owner, List<String> init,
            List<String> images) {
        ObjectNode pod = object("v1", "Pod", namespace, name, uid);
        if (owner != null) {
            owned(pod, owner);
        }
        ObjectNode spec = pod.putObject("spec").put("nodeName", "node-1");
        ObjectNode status = pod.putObject("status").put("phase", "Running");
        containers(spec.putArray("initContainers"), status.putArray("initContainerStatuses"), "init", init);
        containers(spec.putArray("containers"), status.putArray("containerStatuses"), "app", images);
        return pod;
    }

    private static void containers(ArrayNode specs, ArrayNode statuses, String prefix, List<String> images) {
        for (int i = 0; i < images.size(); i++) {
            String image = images.get(i);
            specs.addObject().put("name", prefix + i).put("image", image).put("imagePullPolicy", "IfNotPresent")
                    .putArray("env").addObject().put("name", "DB_PASSWORD").put("value", "hmac-sha256:redacted");
            String repository = image.contains("@") ? image.substring(0, image.indexOf('@')) : image.replaceAll(":[^:/]*$", "");
            statuses.addObject().put("name", prefix + i).put("image", image).put("ready", true)
                    .put("imageID", repository + "@sha256:" + Integer.toHexString(image.hashCode()).repeat(8));
        }
    }

    private static Map<String, Object> node(ObjectNode object, Object... children) {
        ObjectNode meta = (ObjectNode) object.get("metadata");
        Map<String, Object> node = new java.util.LinkedHashMap<>();
        node.put("uid", meta.get("uid").asString());
        node.put("apiVersion", object.get("apiVersion").asString());
        node.put("kind", object.get("kind").asString());
        node.put("name", meta.get("name").asString());
        if (meta.has("namespace")) {
            node.put("namespace", meta.get("namespace").asString());
        }
        node.put("children", List.of(children));
        return node;
    }
}
