package io.k8scollector.collector;

import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.protocol.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fake secret values planted where real clusters keep them, each place its own value, in built-in
 * kinds (Pods, Deployments, StatefulSets, CronJobs, ConfigMaps, annotations) and custom ones (Flux,
 * k3s, Crossplane, Rancher, Argo Workflows, Tekton, and made-up kinds with a container deep inside,
 * one of them in a group that looks like Kubernetes' own),
 * with the CustomResourceDefinitions that serve the custom kinds; and the scan for the values in
 * any encoding. The values hold {@code :} and {@code =} so that their URL-encoded form differs. A
 * value planted after a first word ({@code --password=first <value>}) is one that a reading word
 * by word would miss.
 */
public final class PlantedSecrets {

    /** The configured values field of the made-up kind {@code example.com/Deployer}. */
    public static final String VALUES_FIELDS = "example.com/Deployer spec.chartValues";

    /** An object with the type it is listed as. */
    public record Planted(ObjectNode object, ResourceType type) {}

    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<Planted> objects = new ArrayList<>();
    private final List<ObjectNode> definitions = new ArrayList<>();

    private PlantedSecrets() {}

    /** Every planted object. */
    public static PlantedSecrets plant() {
        PlantedSecrets planted = new PlantedSecrets();
        planted.builtIn();
        planted.custom();
        return planted;
    }

    /** The planted values, by the place each was planted in. */
    public Map<String, String> values() {
        return Map.copyOf(values);
    }

    public List<Planted> objects() {
        return List.copyOf(objects);
    }

    /** The CustomResourceDefinitions of the custom kinds planted. */
    public List<ObjectNode> definitions() {
        return List.copyOf(definitions);
    }

    /** The places whose value is found in {@code text} in any encoding, each with the encoding found. */
    public List<String> leaksIn(String text) {
        List<String> leaks = new ArrayList<>();
        values.forEach((place, value) -> encodingsFoundIn(text, value).forEach(form -> leaks.add(place + " (" + form + ")")));
        return leaks;
    }

    /** The forms of {@code value} found in {@code text}: raw, base64 at each alignment, base64 twice, URL-encoded. */
    public static List<String> encodingsFoundIn(String text, String value) {
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("raw", value);
        for (int offset = 0; offset < 3; offset++) {
            // the characters that depend on the value only, whatever precedes or follows it
            String encoded = base64("A".repeat(offset) + value);
            forms.put("base64+" + offset, encoded.substring(offset == 0 ? 0 : 4, encoded.length() - 4));
        }
        forms.put("base64x2", base64(base64(value)));
        String urlEncoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
        forms.put("url-encoded", urlEncoded);
        forms.put("url-encoded-lower", urlEncoded.replace("%3A", "%3a").replace("%3D", "%3d"));
        return forms.entrySet().stream()
                .filter(form -> text.contains(form.getValue()))
                .map(Map.Entry::getKey)
                .toList();
    }

    public static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private String value(String place) {
        String value = String.format(Locale.ROOT, "Pl4nt%02d:Qx=zz", values.size() + 1);
        values.put(place, value);
        return value;
    }

    private void builtIn() {
        put("", "v1", "Pod", "pods", """
                {"metadata": {"name": "planted-api", "namespace": "shop", "annotations": {
                   "kubernetes.io/change-cause": "kubectl set env deploy/api API_TOKEN=%s",
                   "example.com/cache": "redis://:%s@cache:6379/0",
                   "example.com/register": "curl -H \\"Authorization: Bearer %s\\" https://ops.example.com/register",
                   "example.com/debug": "kubectl run debug -- sh -c \\"app --token %s --port 80\\""}},
                 "spec": {"containers": [{"name": "agent", "image": "shop/agent:1",
                     "env": [{"name": "CACHE_URL", "value": "redis://:it's%s@cache:6379/0"}],
                     "command": ["sh", "-c", "agent --token \\"first %s\\" --port 80"],
                     "args": ["--api-key=first %s", "curl -s -H 'Authorization: Bearer %s' https://ops.example.com/up"],
                     "readinessProbe": {"exec": {"command": ["curl", "-H", "X-Api-Key: %s", "http://localhost/ready"]}}},
                   {"name": "api", "image": "shop/api:1",
                   "env": [{"name": "DB_PASS", "value": "%s"},
                           {"name": "DATABASE_URL", "value": "postgres://app:%s@db:5432/shop"},
                           {"name": "JAVA_OPTS", "value": "-Xmx1g -Dspring.datasource.password=%s"}],
                   "command": ["sh", "-c", "PGPASSWORD=%s psql -h db -c 'select 1'"],
                   "args": ["--log-level=info", "export TOKEN=%s && exec app"],
                   "livenessProbe": {"exec": {"command": ["check", "--password", "%s"]}},
                   "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080,
                     "httpHeaders": [{"name": "Authorization", "value": "Bearer %s"}]}},
                   "startupProbe": {"httpGet": {"path": "/", "port": 8080,
                     "httpHeaders": [{"name": "X-Custom", "value": "%s"}]}},
                   "lifecycle": {
                     "preStop": {"exec": {"command": ["sh", "-c", "curl -s https://admin:%s@ops.example.com/drain"]}},
                     "postStart": {"httpGet": {"path": "/", "port": 80,
                       "httpHeaders": [{"name": "X-Api-Key", "value": "%s"}]}}}}],
                   "initContainers": [{"name": "init", "image": "shop/init:1",
                     "command": ["env", "DB_PASS=%s", "migrate"]}]}}
                """.formatted(value("pod annotation change-cause assignment"), value("pod annotation URL"),
                value("pod annotation Authorization header"), value("pod annotation flag inside a quoted shell line"),
                value("pod env URL password with a quote"),
                value("pod command quoted flag value with a space"), value("pod args --flag= value with a space"),
                value("pod args Authorization header"), value("pod exec probe X-Api-Key header"),
                value("pod env DB_PASS"), value("pod env URL"), value("pod env -D flag"),
                value("pod command PGPASSWORD"), value("pod args export TOKEN"),
                value("pod livenessProbe exec"), value("pod readinessProbe Authorization header"),
                value("pod startupProbe header"), value("pod preStop URL"), value("pod postStart header"),
                value("pod init env assignment")));
        put("apps", "v1", "Deployment", "deployments", """
                {"metadata": {"name": "planted-web", "namespace": "shop", "annotations": {
                   "example.com/config": "{\\"password\\":\\"%s\\"}"}},
                 "spec": {"template": {"metadata": {"annotations": {"example.com/note": "--token %s"}},
                   "spec": {"containers": [{"name": "web", "image": "shop/web:1",
                     "env": [{"name": "SENTRY_DSN", "value": "%s"}],
                     "args": ["--client-secret", "%s", "--set", "db.password=%s"]}]}}}}
                """.formatted(value("deployment annotation JSON"), value("deployment template annotation flag"),
                value("deployment env SENTRY_DSN"), value("deployment args --client-secret"),
                value("deployment args --set property")));
        put("apps", "v1", "StatefulSet", "statefulsets", """
                {"metadata": {"name": "planted-db", "namespace": "shop"},
                 "spec": {"serviceName": "db", "template": {"spec": {"containers": [{"name": "db", "image": "postgres:16"}]}},
                   "volumeClaimTemplates": [{"metadata": {"name": "data", "annotations": {
                     "example.com/backup": "RESTIC_PASSWORD=%s restic backup /data"}},
                     "spec": {"accessModes": ["ReadWriteOnce"]}}]}}
                """.formatted(value("statefulset volumeClaimTemplate annotation")));
        put("batch", "v1", "CronJob", "cronjobs", """
                {"metadata": {"name": "planted-nightly", "namespace": "shop"},
                 "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": {"spec": {
                   "containers": [{"name": "job", "image": "shop/job:1",
                     "env": [{"name": "CONNECTION_STRING", "value": "%s"}],
                     "command": ["backup", "--target", "s3://key:%s@bucket/backups"]}]}}}}}}
                """.formatted(value("cronjob env CONNECTION_STRING"), value("cronjob command URL")));
        put("", "v1", "ConfigMap", "configmaps", """
                {"metadata": {"name": "planted-settings", "namespace": "shop"},
                 "data": {"db-password": "%s",
                          "app.env": "LOG_LEVEL=info\\nDB_PASS=%s\\n",
                          "config.yaml": "database:\\n  url: postgres://app:%s@db/shop\\n  password: %s\\n",
                          "application.properties": "spring.datasource.password=%s\\n",
                          "config.json": "{\\"auth\\": {\\"token\\": \\"%s\\"}}",
                          "entrypoint.sh": "#!/bin/sh\\nexport API_TOKEN=%s\\nexec app\\n"},
                 "binaryData": {"tls.key": "%s"}}
                """.formatted(value("configmap sensitive key"), value("configmap env file"), value("configmap YAML URL"),
                value("configmap YAML password"), value("configmap properties"), value("configmap JSON"),
                value("configmap script"), base64(value("configmap binaryData sensitive key"))));
    }

    private void custom() {
        putCustom("helm.toolkit.fluxcd.io", "v2", "HelmRelease", "helmreleases", """
                {"metadata": {"name": "planted-flux", "namespace": "shop"},
                 "spec": {"chart": {"spec": {"chart": "shop"}}, "valuesFrom": [{"kind": "Secret", "name": "shop-values"}],
                   "values": {"db": {"password": "%s"}}}}
                """.formatted(value("flux HelmRelease values")));
        putCustom("helm.cattle.io", "v1", "HelmChart", "helmcharts", """
                {"metadata": {"name": "planted-k3s", "namespace": "shop"},
                 "spec": {"chart": "traefik", "valuesContent": "auth:\\n  password: %s\\n",
                   "set": {"admin.password": "%s"}}}
                """.formatted(value("k3s HelmChart valuesContent"), value("k3s HelmChart set")));
        putCustom("helm.crossplane.io", "v1beta1", "Release", "releases", """
                {"metadata": {"name": "planted-crossplane"},
                 "spec": {"forProvider": {"chart": {"name": "shop"}, "values": {"apiKey": "%s"},
                   "set": [{"name": "db.password", "value": "%s"}]}}}
                """.formatted(value("crossplane Release values"), value("crossplane Release set")));
        putCustom("catalog.cattle.io", "v1", "App", "apps", """
                {"metadata": {"name": "planted-rancher", "namespace": "shop"},
                 "spec": {"name": "planted-rancher", "values": {"global": {"token": "%s"}}}}
                """.formatted(value("rancher App values")));
        putCustom("argoproj.io", "v1alpha1", "Workflow", "workflows", """
                {"metadata": {"name": "planted-workflow", "namespace": "shop"},
                 "spec": {"entrypoint": "main", "arguments": {"parameters": [{"name": "db-password", "value": "%s"}]},
                   "templates": [
                     {"name": "main", "container": {"image": "shop/tool:1",
                       "env": [{"name": "API_TOKEN", "value": "%s"}], "args": ["--password=%s"]}},
                     {"name": "load", "script": {"image": "postgres:16", "command": ["sh"],
                       "source": "export PGPASSWORD=%s\\npsql -h db\\n"}}]},
                 "status": {"nodes": {"planted-workflow-1": {"templateName": "main",
                   "inputs": {"parameters": [{"name": "api-token", "value": "%s"}]}}}}}
                """.formatted(value("argo Workflow arguments parameter"), value("argo Workflow container env"),
                value("argo Workflow container args"), value("argo Workflow script source"),
                value("argo Workflow node inputs parameter")));
        putCustom("argoproj.io", "v1alpha1", "WorkflowTemplate", "workflowtemplates", """
                {"metadata": {"name": "planted-template", "namespace": "shop"},
                 "spec": {"templates": [{"name": "py", "script": {"image": "python:3", "command": ["python"],
                   "source": "import db\\npassword = '%s'\\ndb.connect('mysql://root:%s@db/shop')\\n"}},
                   {"name": "deploy", "inputs": {"parameters": [{"name": "api-token", "default": "%s",
                     "enum": ["%s", "none"]}]}, "container": {"image": "shop/deploy:1"}}]}}
                """.formatted(value("argo WorkflowTemplate python assignment"), value("argo WorkflowTemplate URL"),
                value("argo WorkflowTemplate input parameter default"), value("argo WorkflowTemplate input parameter enum")));
        putCustom("tekton.dev", "v1", "Task", "tasks", """
                {"metadata": {"name": "planted-task", "namespace": "shop"},
                 "spec": {"params": [{"name": "registry-password", "type": "string", "default": "%s"}],
                   "stepTemplate": {"env": [{"name": "SECRET_KEY", "value": "%s"}]},
                   "steps": [{"name": "build", "image": "alpine:3",
                     "script": "#!/bin/sh\\nexport API_TOKEN=%s\\ncurl -fsS -H \\"Authorization: Bearer %s\\" https://ci.example.com\\nmake\\n"}],
                   "sidecars": [{"name": "db", "image": "postgres:16", "env": [{"name": "POSTGRES_PASSWORD", "value": "%s"}]}]}}
                """.formatted(value("tekton Task param default"), value("tekton Task stepTemplate env"),
                value("tekton Task step script"), value("tekton Task step script Authorization header"),
                value("tekton Task sidecar env")));
        putCustom("tekton.dev", "v1", "Pipeline", "pipelines", """
                {"metadata": {"name": "planted-pipeline", "namespace": "shop"},
                 "spec": {"tasks": [{"name": "deploy", "params": [{"name": "registry-token", "value": "%s"}],
                   "taskSpec": {"steps": [{"name": "push", "image": "shop/push:1",
                     "args": ["--registry-password=%s"]}]}}]}}
                """.formatted(value("tekton Pipeline task params"), value("tekton Pipeline step args")));
        putCustom("example.com", "v1", "Deployer", "deployers", """
                {"metadata": {"name": "planted-deployer", "namespace": "shop"},
                 "spec": {"chartValues": "adminPassword: %s\\n",
                   "stages": [{"name": "one", "workers": {"pool": [{"runner": {"image": "shop/runner:1",
                     "command": ["run", "--api-key", "%s"],
                     "readinessProbe": {"exec": {"command": ["probe", "--token=%s"]}}}}]}}]}}
                """.formatted(value("configured values field"), value("made-up kind deep container command"),
                value("made-up kind deep container probe")));
        putCustom("example.sigs.k8s.io", "v1alpha1", "Runner", "runners", """
                {"metadata": {"name": "planted-runner", "namespace": "shop"},
                 "spec": {"pools": [{"worker": {"image": "shop/worker:1", "env": [{"name": "API_TOKEN", "value": "%s"}]}}]}}
                """.formatted(value("made-up kind in a .k8s.io group deep container env")));
    }

    /** A custom kind: the cluster serves it by the CustomResourceDefinition planted with it. */
    private void putCustom(String group, String version, String kind, String resource, String json) {
        ResourceType type = put(group, version, kind, resource, json);
        definitions.add(definition(group, version, kind, resource, type.namespaced()));
    }

    private ResourceType put(String group, String version, String kind, String resource, String json) {
        ObjectNode object = Json.MAPPER.createObjectNode();
        object.put("apiVersion", group.isEmpty() ? version : group + "/" + version);
        object.put("kind", kind);
        object.setAll((ObjectNode) Json.MAPPER.readTree(json));
        ObjectNode metadata = (ObjectNode) object.get("metadata");
        metadata.put("uid", String.format(Locale.ROOT, "00000000-0000-4000-8000-%012d", objects.size() + 1));
        boolean namespaced = metadata.has("namespace");
        ResourceType type = new ResourceType(group, version, kind, resource, namespaced, List.of("list"));
        objects.add(new Planted(object, type));
        return type;
    }

    private static ObjectNode definition(String group, String version, String kind, String plural, boolean namespaced) {
        ObjectNode crd = Json.MAPPER.createObjectNode();
        crd.put("apiVersion", "apiextensions.k8s.io/v1");
        crd.put("kind", "CustomResourceDefinition");
        crd.putObject("metadata").put("name", plural + "." + group);
        ObjectNode spec = crd.putObject("spec");
        spec.put("group", group);
        spec.put("scope", namespaced ? "Namespaced" : "Cluster");
        spec.putObject("names").put("plural", plural).put("singular", kind.toLowerCase(Locale.ROOT)).put("kind", kind)
                .put("listKind", kind + "List");
        ArrayNode versions = spec.putArray("versions");
        ObjectNode served = versions.addObject().put("name", version).put("served", true).put("storage", true);
        served.putObject("schema").putObject("openAPIV3Schema").put("type", "object")
                .put("x-kubernetes-preserve-unknown-fields", true);
        return crd;
    }
}
