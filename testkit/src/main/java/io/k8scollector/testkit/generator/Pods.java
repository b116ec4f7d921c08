package io.k8scollector.testkit.generator;

import static io.k8scollector.testkit.generator.Seeded.array;
import static io.k8scollector.testkit.generator.Seeded.metadata;
import static io.k8scollector.testkit.generator.Seeded.strings;

import io.k8scollector.protocol.Json;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Complete pods and pod templates as a real cluster holds them (about 3 to 4 KB of JSON each): a
 * container with image, args, ports, env (one fake sensitive literal, one secret reference),
 * resources, probes and mounts, and a running status.
 */
final class Pods {

    private static final List<String> IMAGES = List.of("nginx:1.27.3", "redis:7.4.1", "postgres:16.6",
            "ghcr.io/example/api:2.14.0", "ghcr.io/example/worker:2.14.0", "quay.io/prometheus/node-exporter:v1.8.2",
            "registry.k8s.io/kube-proxy:v1.35.0", "docker.io/bitnami/kafka:3.9.0");

    private final Seeded seeded;
    private final List<String> nodes;

    Pods(Seeded seeded, List<String> nodes) {
        this.seeded = seeded;
        this.nodes = nodes;
    }

    /** A pod template spec (metadata with labels, spec) for a workload named {@code app}. */
    ObjectNode template(String app, String image, String... labels) {
        ObjectNode template = Json.MAPPER.createObjectNode();
        ObjectNode metadata = template.putObject("metadata");
        strings(metadata, "labels", labels);
        template.set("spec", spec(app, image));
        return template;
    }

    /** An image for a workload. */
    String image() {
        return seeded.pick(IMAGES);
    }

    /**
     * A running pod made from {@code template}, owned by {@code owner}.
     *
     * @param extraLabels labels the controller adds ({@code pod-template-hash}), as key, value pairs
     */
    ObjectNode pod(String namespace, String name, ObjectNode template, ObjectNode owner, String... extraLabels) {
        ObjectNode pod = seeded.object("v1", "Pod", namespace, name);
        ObjectNode metadata = metadata(pod);
        ObjectNode labels = (ObjectNode) template.get("metadata").get("labels").deepCopy();
        for (int i = 0; i < extraLabels.length; i += 2) {
            labels.put(extraLabels[i], extraLabels[i + 1]);
        }
        metadata.set("labels", labels);
        metadata.put("generateName", name.substring(0, name.lastIndexOf('-') + 1));
        strings(metadata, "annotations", "kubectl.kubernetes.io/restartedAt", seeded.timestamp());
        Seeded.ownedBy(pod, owner);
        String node = seeded.pick(nodes);
        ObjectNode spec = (ObjectNode) template.get("spec").deepCopy();
        spec.put("nodeName", node);
        pod.set("spec", spec);
        if (seeded.chance(0.3)) {
            managedFields(metadata, "kube-controller-manager", "v1");
        }
        String ip = seeded.podIp();
        pod.set("status", status(spec, node, ip, metadata.get("creationTimestamp").asString()));
        return pod;
    }

    /** The {@code PodRef} of a generated pod. */
    static PodRef ref(ObjectNode pod) {
        return new PodRef(Seeded.name(pod), Seeded.uid(pod), pod.path("status").path("podIP").asString(),
                pod.path("spec").path("nodeName").asString());
    }

    /** Adds a managedFields entry, as server-side field tracking writes it. */
    static void managedFields(ObjectNode metadata, String manager, String apiVersion) {
        ObjectNode entry = metadata.putArray("managedFields").addObject();
        entry.put("manager", manager);
        entry.put("operation", "Update");
        entry.put("apiVersion", apiVersion);
        entry.put("time", "2026-01-05T08:00:00Z");
        entry.put("fieldsType", "FieldsV1");
        ObjectNode fields = entry.putObject("fieldsV1");
        ObjectNode meta = fields.putObject("f:metadata");
        meta.putObject("f:labels").putObject(".");
        meta.putObject("f:ownerReferences").putObject(".");
        ObjectNode spec = fields.putObject("f:spec");
        spec.putObject("f:containers").putObject("k:{\"name\":\"app\"}").putObject(".");
        spec.putObject("f:dnsPolicy");
        spec.putObject("f:restartPolicy");
    }

    private ObjectNode spec(String app, String image) {
        ObjectNode spec = Json.MAPPER.createObjectNode();
        ObjectNode volume = spec.putArray("volumes").addObject();
        volume.put("name", "kube-api-access");
        ArrayNode sources = volume.putObject("projected").putArray("sources");
        ObjectNode token = sources.addObject().putObject("serviceAccountToken");
        token.put("expirationSeconds", 3607);
        token.put("path", "token");
        ObjectNode ca = sources.addObject().putObject("configMap");
        ca.put("name", "kube-root-ca.crt");
        ObjectNode caItem = ca.putArray("items").addObject();
        caItem.put("key", "ca.crt");
        caItem.put("path", "ca.crt");
        ObjectNode config = spec.withArray("volumes").addObject();
        config.put("name", "config");
        config.putObject("configMap").put("name", app + "-config");
        ObjectNode container = spec.putArray("containers").addObject();
        container.put("name", "app");
        container.put("image", image);
        array(container, "args", "--port=8080", "--log-level=info", "--db-password=" + seeded.fakeSecret());
        ObjectNode port = container.putArray("ports").addObject();
        port.put("name", "http");
        port.put("containerPort", 8080);
        port.put("protocol", "TCP");
        ArrayNode env = container.putArray("env");
        ObjectNode password = env.addObject();
        password.put("name", "DB_PASSWORD");
        password.put("value", seeded.fakeSecret());
        ObjectNode user = env.addObject();
        user.put("name", "DB_USER");
        ObjectNode secretRef = user.putObject("valueFrom").putObject("secretKeyRef");
        secretRef.put("name", app + "-credentials");
        secretRef.put("key", "username");
        ObjectNode podIp = env.addObject();
        podIp.put("name", "POD_IP");
        ObjectNode fieldRef = podIp.putObject("valueFrom").putObject("fieldRef");
        fieldRef.put("apiVersion", "v1");
        fieldRef.put("fieldPath", "status.podIP");
        ObjectNode resources = container.putObject("resources");
        strings(resources, "limits", "cpu", "500m", "memory", "512Mi");
        strings(resources, "requests", "cpu", "100m", "memory", "128Mi");
        container.set("livenessProbe", probe("/healthz", 10));
        container.set("readinessProbe", probe("/ready", 5));
        ArrayNode mounts = container.putArray("volumeMounts");
        ObjectNode apiMount = mounts.addObject();
        apiMount.put("name", "kube-api-access");
        apiMount.put("readOnly", true);
        apiMount.put("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount");
        ObjectNode configMount = mounts.addObject();
        configMount.put("name", "config");
        configMount.put("mountPath", "/etc/app");
        container.put("terminationMessagePath", "/dev/termination-log");
        container.put("terminationMessagePolicy", "File");
        container.put("imagePullPolicy", "IfNotPresent");
        ObjectNode security = container.putObject("securityContext");
        security.put("allowPrivilegeEscalation", false);
        security.put("readOnlyRootFilesystem", true);
        spec.put("restartPolicy", "Always");
        spec.put("terminationGracePeriodSeconds", 30);
        spec.put("dnsPolicy", "ClusterFirst");
        spec.put("serviceAccountName", app);
        spec.put("serviceAccount", app);
        ObjectNode podSecurity = spec.putObject("securityContext");
        podSecurity.put("runAsNonRoot", true);
        podSecurity.put("runAsUser", 10001);
        podSecurity.put("fsGroup", 10001);
        spec.put("schedulerName", "default-scheduler");
        ArrayNode tolerations = spec.putArray("tolerations");
        for (String taint : List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
            ObjectNode toleration = tolerations.addObject();
            toleration.put("key", taint);
            toleration.put("operator", "Exists");
            toleration.put("effect", "NoExecute");
            toleration.put("tolerationSeconds", 300);
        }
        spec.put("priority", 0);
        spec.put("enableServiceLinks", true);
        spec.put("preemptionPolicy", "PreemptLowerPriority");
        return spec;
    }

    private static ObjectNode probe(String path, int period) {
        ObjectNode probe = Json.MAPPER.createObjectNode();
        ObjectNode get = probe.putObject("httpGet");
        get.put("path", path);
        get.put("port", "http");
        get.put("scheme", "HTTP");
        probe.put("initialDelaySeconds", 5);
        probe.put("timeoutSeconds", 1);
        probe.put("periodSeconds", period);
        probe.put("successThreshold", 1);
        probe.put("failureThreshold", 3);
        return probe;
    }

    private ObjectNode status(ObjectNode spec, String node, String ip, String created) {
        ObjectNode status = Json.MAPPER.createObjectNode();
        status.put("phase", "Running");
        ArrayNode conditions = status.putArray("conditions");
        for (String type : List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                "PodScheduled")) {
            ObjectNode condition = conditions.addObject();
            condition.put("type", type);
            condition.put("status", "True");
            condition.putNull("lastProbeTime");
            condition.put("lastTransitionTime", created);
        }
        String hostIp = "172.18.0." + (2 + Math.floorMod(node.hashCode(), 250));
        status.put("hostIP", hostIp);
        status.putArray("hostIPs").addObject().put("ip", hostIp);
        status.put("podIP", ip);
        status.putArray("podIPs").addObject().put("ip", ip);
        status.put("startTime", created);
        ObjectNode containerSpec = (ObjectNode) spec.get("containers").get(0);
        ObjectNode container = status.putArray("containerStatuses").addObject();
        container.put("name", "app");
        ObjectNode running = container.putObject("state").putObject("running");
        running.put("startedAt", created);
        container.putObject("lastState");
        container.put("ready", true);
        container.put("restartCount", seeded.between(0, 3));
        container.put("image", containerSpec.get("image").asString());
        container.put("imageID", "docker.io/library/app@sha256:" + seeded.hash(12) + seeded.hash(12));
        container.put("containerID", "containerd://" + seeded.hash(20) + seeded.hash(20));
        container.put("started", true);
        status.put("qosClass", "Burstable");
        return status;
    }
}
