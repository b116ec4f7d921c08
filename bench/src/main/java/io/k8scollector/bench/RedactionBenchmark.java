package io.k8scollector.bench;

import io.k8scollector.collector.config.ConfigSource;
import io.k8scollector.collector.config.KubeAccess;
import io.k8scollector.collector.config.RedactionSettings;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.listing.ItemReader;
import io.k8scollector.collector.listing.ItemSource;
import io.k8scollector.collector.listing.ListedObject;
import io.k8scollector.collector.redaction.Redactor;
import io.k8scollector.protocol.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.node.ObjectNode;

/**
 * The redaction chain over a realistic Pod (about 6 KB of JSON: two containers and an init
 * container, 16 env variables of which 3 sensitive, flags, probes, volumes, status, a
 * last-applied annotation). Each operation redacts a fresh copy; {@code copyOnly} measures the
 * copy alone, so the chain costs the difference.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RedactionBenchmark {

    private static final ResourceType PODS = new ResourceType("", "v1", "Pod", "pods", true, List.of("get", "list"));

    private ObjectNode pod;
    private byte[] podBytes;
    private Redactor redactor;

    @Setup
    public void setUp() {
        pod = realisticPod();
        podBytes = Json.MAPPER.writeValueAsBytes(pod);
        redactor = Redactor.from(RedactionSettings.from(
                ConfigSource.of(Map.of()), Map.of("REDACTION_KEY", "benchmark-redaction-key"), KubeAccess.inCluster(), false));
    }

    @Benchmark
    public ObjectNode redactPod() {
        ObjectNode copy = pod.deepCopy();
        redactor.redact(PODS, copy);
        return copy;
    }

    @Benchmark
    public ObjectNode copyOnly() {
        return pod.deepCopy();
    }

    /** A Pod from the bytes of a list response to its record through a tree, as the tree steps take it. */
    @Benchmark
    public byte[] recordThroughTree() {
        try (JsonParser parser = Json.MAPPER.createParser(podBytes)) {
            parser.nextToken();
            ObjectNode object = ItemReader.TREE.read(PODS, parser, ItemSource.of(podBytes)).head();
            redactor.redact(PODS, object);
            return Json.MAPPER.writeValueAsBytes(object);
        }
    }

    /** The same, through the redacting copy the collector uses for Pods. */
    @Benchmark
    public byte[] recordThroughCopy() {
        try (JsonParser parser = Json.MAPPER.createParser(podBytes)) {
            parser.nextToken();
            return ((ListedObject.Copied) redactor.copy().read(PODS, parser, ItemSource.of(podBytes))).record();
        }
    }

    static ObjectNode realisticPod() {
        StringBuilder env = new StringBuilder();
        for (int i = 0; i < 13; i++) {
            env.append("{\"name\": \"SETTING_").append(i).append("\", \"value\": \"value-").append(i).append("\"},");
        }
        env.append("""
                {"name": "DB_PASSWORD", "value": "hunter2-hunter2"},
                {"name": "API_TOKEN", "value": "tok-0123456789abcdef"},
                {"name": "AWS_SECRET_ACCESS_KEY", "valueFrom": {"secretKeyRef": {"name": "aws", "key": "secret"}}}
                """);
        String container = """
                {"name": "%s", "image": "registry.example.com/shop/%s:2.0.1", "imagePullPolicy": "IfNotPresent",
                 "command": ["/app/bin/server"],
                 "args": ["--port=8080", "--db-password=hunter2-hunter2", "--api-key", "k-0123456789", "--log-level", "info"],
                 "env": [%s],
                 "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
                 "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"memory": "512Mi"}},
                 "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 10},
                 "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}, "periodSeconds": 5},
                 "volumeMounts": [{"name": "config", "mountPath": "/etc/shop"}, {"name": "kube-api-access", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": true}]}
                """;
        String json = """
                {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "shop-7d9f8b6c5d-x2k4p", "namespace": "shop", "uid": "6f1c1d0e-8f0a-4a57-9d43-1c2b3a4d5e6f",
                   "resourceVersion": "123456789", "creationTimestamp": "2026-11-27T10:00:00Z",
                   "labels": {"app.kubernetes.io/name": "shop", "app.kubernetes.io/instance": "shop", "pod-template-hash": "7d9f8b6c5d"},
                   "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "%s", "prometheus.io/scrape": "true"},
                   "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "shop-7d9f8b6c5d",
                     "uid": "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d", "controller": true, "blockOwnerDeletion": true}]},
                 "spec": {"initContainers": [%s], "containers": [%s, %s],
                   "volumes": [{"name": "config", "configMap": {"name": "shop"}},
                               {"name": "kube-api-access", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}}],
                   "serviceAccountName": "shop", "nodeName": "node-17", "restartPolicy": "Always"},
                 "status": {"phase": "Running", "podIP": "10.1.2.3", "startTime": "2026-11-27T10:00:01Z",
                   "conditions": [{"type": "Ready", "status": "True"}, {"type": "PodScheduled", "status": "True"}],
                   "containerStatuses": [{"name": "shop", "ready": true, "restartCount": 0, "image": "registry.example.com/shop/shop:2.0.1",
                     "imageID": "registry.example.com/shop/shop@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                     "containerID": "containerd://0123456789abcdef", "started": true, "state": {"running": {"startedAt": "2026-11-27T10:00:02Z"}}}]}}
                """.formatted(
                        "x".repeat(1200),
                        container.formatted("migrate", "migrate", env),
                        container.formatted("shop", "shop", env),
                        container.formatted("sidecar", "proxy", env));
        return (ObjectNode) Json.MAPPER.readTree(json);
    }
}
