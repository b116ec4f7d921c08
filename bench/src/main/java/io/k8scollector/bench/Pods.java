package io.k8scollector.bench;

import io.k8scollector.protocol.Json;
import java.util.Random;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Realistic Pod objects (3 to 4 KB each), deterministic for a seed. */
public final class Pods {

    private Pods() {}

    /** Pod {@code i} of a cluster: uid and name derive from {@code cluster} and {@code i}. */
    public static ObjectNode pod(String cluster, int i, Random random) {
        ObjectNode pod = Json.MAPPER.createObjectNode();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata");
        String app = "app-" + (i % 37);
        meta.put("name", app + "-" + Integer.toHexString(random.nextInt()) + "-" + i);
        meta.put("namespace", "ns-" + (i % 11));
        meta.put("uid", uid(cluster, i));
        meta.put("resourceVersion", Integer.toString(100000 + random.nextInt(900000)));
        meta.put("creationTimestamp", "2026-11-27T10:00:00Z");
        ObjectNode labels = meta.putObject("labels");
        labels.put("app", app);
        labels.put("tier", i % 2 == 0 ? "web" : "worker");
        labels.put("pod-template-hash", Integer.toHexString(random.nextInt()));
        ArrayNode owners = meta.putArray("ownerReferences");
        owners.addObject().put("apiVersion", "apps/v1").put("kind", "ReplicaSet").put("name", app + "-rs")
                .put("uid", uid(cluster, 1_000_000 + i % 37)).put("controller", true);
        ObjectNode spec = pod.putObject("spec");
        spec.put("serviceAccountName", "default");
        spec.put("nodeName", "node-" + (i % 5));
        spec.put("restartPolicy", "Always");
        ArrayNode containers = spec.putArray("containers");
        for (int c = 0; c < 2; c++) {
            ObjectNode container = containers.addObject();
            container.put("name", c == 0 ? "main" : "sidecar");
            container.put("image", "registry.example.com/team/" + app + ":1." + random.nextInt(50) + "." + c);
            ArrayNode env = container.putArray("env");
            for (int e = 0; e < 14; e++) {
                env.addObject().put("name", "SETTING_" + e).put("value", Long.toHexString(random.nextLong()));
            }
            ArrayNode ports = container.putArray("ports");
            ports.addObject().put("containerPort", 8080 + c).put("protocol", "TCP").put("name", "http-" + c);
            ObjectNode resources = container.putObject("resources");
            resources.putObject("requests").put("cpu", "100m").put("memory", "128Mi");
            resources.putObject("limits").put("cpu", "500m").put("memory", "512Mi");
            ArrayNode mounts = container.putArray("volumeMounts");
            mounts.addObject().put("name", "config").put("mountPath", "/etc/" + app);
            mounts.addObject().put("name", "kube-api-access").put("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount")
                    .put("readOnly", true);
            ObjectNode probe = container.putObject("readinessProbe");
            probe.putObject("httpGet").put("path", "/healthz").put("port", 8080 + c);
            probe.put("periodSeconds", 10);
        }
        ArrayNode volumes = spec.putArray("volumes");
        volumes.addObject().put("name", "config").putObject("configMap").put("name", app + "-config");
        volumes.addObject().put("name", "kube-api-access").putObject("projected").put("defaultMode", 420);
        ObjectNode status = pod.putObject("status");
        status.put("phase", "Running");
        status.put("podIP", "10.0." + (i / 250 % 250) + "." + (i % 250));
        status.put("startTime", "2026-11-27T10:00:05Z");
        ArrayNode conditions = status.putArray("conditions");
        for (String type : new String[] {"Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
            conditions.addObject().put("type", type).put("status", "True")
                    .put("lastTransitionTime", "2026-11-27T10:00:0" + random.nextInt(10) + "Z");
        }
        return pod;
    }

    public static String uid(String cluster, int i) {
        return String.format("%08x-0000-4000-8000-%012x", Math.abs(cluster.hashCode()), i);
    }
}
