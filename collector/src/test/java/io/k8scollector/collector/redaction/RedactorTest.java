package io.k8scollector.collector.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.config.ConfigSource;
import io.k8scollector.collector.config.KubeAccess;
import io.k8scollector.collector.config.RedactionSettings;
import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.listing.ObjectView;
import io.k8scollector.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class RedactorTest {

    private static final String KEY = "0123456789abcdef-test-key";
    private static final ResourceType SECRETS = type("", "v1", "Secret", "secrets");
    private static final ResourceType CONFIG_MAPS = type("", "v1", "ConfigMap", "configmaps");
    private static final ResourceType DEPLOYMENTS = type("apps", "v1", "Deployment", "deployments");
    private static final ResourceType APPLICATIONS = type("argoproj.io", "v1alpha1", "Application", "applications");

    private final KeyedDigest digest = new KeyedDigest(KEY.getBytes(StandardCharsets.UTF_8));

    @Test
    void digestsSecretValuesOverTheirDecodedBytesSoDataAndStringDataAgree() {
        ObjectNode secret = object("""
                {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"},
                 "data": {"password": "%s"}, "stringData": {"again": "s3cr3t-pa55"}}
                """.formatted(base64("s3cr3t-pa55")));

        redactor(Map.of()).redact(SECRETS, secret);

        assertThat(secret.at("/data/password").stringValue())
                .isEqualTo(digest.of("s3cr3t-pa55"))
                .isEqualTo(secret.at("/stringData/again").stringValue())
                .matches("hmac-sha256:[0-9a-f]{64}");
    }

    @Test
    void givesDifferentDigestsForTheSameValueUnderDifferentKeys() {
        ObjectNode first = secretWith("s3cr3t-pa55");
        ObjectNode second = secretWith("s3cr3t-pa55");

        redactor(Map.of()).redact(SECRETS, first);
        Redactor.from(RedactionSettings.from(
                        ConfigSource.of(Map.of()), Map.of("REDACTION_KEY", "another-key-of-16-chars"), KubeAccess.inCluster(), false))
                .redact(SECRETS, second);

        assertThat(first.at("/data/password").stringValue())
                .startsWith(KeyedDigest.PREFIX)
                .isNotEqualTo(second.at("/data/password").stringValue());
    }

    @Test
    void dropsSecretValuesButKeepsTheirKeys() {
        ObjectNode secret = secretWith("s3cr3t-pa55");

        redactor(Map.of("collector.secrets", "drop")).redact(SECRETS, secret);

        assertThat(secret.get("data").propertyNames()).containsExactly("password");
        assertThat(secret.at("/data/password").isNull()).isTrue();
    }

    @Test
    void keepsSecretValuesOnRequestButNeverAHelmReleasePayload() {
        ObjectNode secret = secretWith("s3cr3t-pa55");
        ObjectNode release = object("""
                {"apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
                 "metadata": {"name": "sh.helm.release.v1.shop.v1"}, "data": {"release": "%s"}}
                """.formatted(base64("H4sIAAAA-helm-payload")));
        Redactor keep = redactor(Map.of("collector.secrets", "keep"));

        keep.redact(SECRETS, secret);
        keep.redact(SECRETS, release);

        assertThat(secret.at("/data/password").stringValue()).isEqualTo(base64("s3cr3t-pa55"));
        assertThat(release.at("/data/release").stringValue()).isEqualTo(digest.of("H4sIAAAA-helm-payload"));
    }

    @Test
    void replacesAConfigMapStoredHelmReleaseByTheDigestItWouldHaveInASecret() {
        ObjectNode stored = object("""
                {"apiVersion": "v1", "kind": "ConfigMap",
                 "metadata": {"name": "shop.v1", "labels": {"owner": "helm", "name": "shop"}},
                 "data": {"release": "H4sIAAAA-helm-payload"}}
                """);
        ObjectNode plain = object("""
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"},
                 "data": {"release": "H4sIAAAA-helm-payload"}}
                """);

        redactor(Map.of()).redact(CONFIG_MAPS, stored);
        redactor(Map.of()).redact(CONFIG_MAPS, plain);

        assertThat(stored.at("/data/release").stringValue()).isEqualTo(digest.of("H4sIAAAA-helm-payload"));
        assertThat(plain.at("/data/release").stringValue()).isEqualTo("H4sIAAAA-helm-payload");
    }

    @Test
    void removesTheLastAppliedAndTheConfiguredAnnotationsOnly() {
        ObjectNode object = object("""
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "annotations": {
                  "kubectl.kubernetes.io/last-applied-configuration": "{\\"password\\": \\"x\\"}",
                  "kapp.k14s.io/original": "{\\"data\\": {\\"k\\": \\"eA==\\"}}", "kapp.k14s.io/original-diff": "[]",
                  "example.com/notes": "call me", "deployment.kubernetes.io/revision": "3"}}}
                """);

        redactor(Map.of("collector.redactAnnotations", "example.com/notes")).redact(DEPLOYMENTS, object);

        assertThat(object.at("/metadata/annotations").propertyNames())
                .containsExactly("deployment.kubernetes.io/revision");
    }

    @Test
    void digestsSensitiveEnvValuesAndKeepsValueFromAndOrdinaryValues() {
        ObjectNode pod = object("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"}, "spec": {"containers": [{"name": "api",
                  "env": [{"name": "DB_PASSWORD", "value": "s3cr3t-pa55"},
                          {"name": "Api-Token", "value": "tok-123"},
                          {"name": "LOG_LEVEL", "value": "debug"},
                          {"name": "STRIPE_SECRET", "valueFrom": {"secretKeyRef": {"name": "stripe", "key": "k"}}}]}]}}
                """);

        redactor(Map.of()).redact(type("", "v1", "Pod", "pods"), pod);

        JsonNode env = pod.at("/spec/containers/0/env");
        assertThat(env.get(0).get("value").stringValue()).isEqualTo(digest.of("s3cr3t-pa55"));
        assertThat(env.get(1).get("value").stringValue()).isEqualTo(digest.of("tok-123"));
        assertThat(env.get(2).get("value").stringValue()).isEqualTo("debug");
        assertThat(env.get(3).at("/valueFrom/secretKeyRef/name").stringValue()).isEqualTo("stripe");
    }

    @Test
    void digestsTheValueOfSensitiveFlagsInBothFormsAndInsideShellLines() {
        ObjectNode pod = object("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"}, "spec": {"containers": [{"name": "api",
                  "command": ["sh", "-c", "exec app --db-password hunter-one --port 80"],
                  "args": ["--db-password=hunter-two", "--api-key", "hunter-three", "--verbose", "--token", "--port=80"]}]}}
                """);

        redactor(Map.of()).redact(type("", "v1", "Pod", "pods"), pod);

        assertThat(strings(pod.at("/spec/containers/0/command"))).containsExactly(
                "sh", "-c", "exec app --db-password " + digest.of("hunter-one") + " --port 80");
        assertThat(strings(pod.at("/spec/containers/0/args"))).containsExactly(
                "--db-password=" + digest.of("hunter-two"),
                "--api-key",
                digest.of("hunter-three"),
                "--verbose",
                "--token",
                "--port=80");
    }

    @Test
    void digestsASensitiveFlagsValueToTheEndOfItsElementAndAQuotedOneToItsQuote() {
        ObjectNode pod = object("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"}, "spec": {"containers": [{"name": "api",
                  "command": ["sh", "-c", "app --token \\"correct horse\\" --port 80"],
                  "args": ["--password=correct horse battery", "--log-level=info debug", "--api-key", "two words"]}]}}
                """);

        redactor(Map.of()).redact(type("", "v1", "Pod", "pods"), pod);

        assertThat(strings(pod.at("/spec/containers/0/command"))).containsExactly(
                "sh", "-c", "app --token \"" + digest.of("correct horse") + "\" --port 80");
        assertThat(strings(pod.at("/spec/containers/0/args"))).containsExactly(
                "--password=" + digest.of("correct horse battery"), "--log-level=info debug", "--api-key", digest.of("two words"));
    }

    @Test
    void digestsTheDefaultsEnumsAndListOrObjectValuesOfSensitiveParameters() {
        ObjectNode task = object("""
                {"apiVersion": "tekton.dev/v1", "kind": "Task", "metadata": {"name": "t"},
                 "spec": {"params": [{"name": "db-password", "default": "planted-1"},
                                     {"name": "hosts", "type": "array", "default": ["a", "b"]},
                                     {"name": "creds", "type": "object", "default": {"user": "app", "password": "planted-2"}},
                                     {"name": "tokens", "type": "array", "default": ["planted-3"]}],
                   "steps": [{"name": "s", "image": "alpine:3", "script": "make"}]}}
                """);
        ObjectNode workflow = object("""
                {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"name": "w"},
                 "spec": {"templates": [{"name": "t", "inputs": {"parameters": [
                   {"name": "api-token", "default": "planted-4", "enum": ["planted-5", "planted-6"]},
                   {"name": "mode", "default": "fast", "enum": ["fast", "slow"]}]}}]}}
                """);

        redactor(Map.of()).redact(type("tekton.dev", "v1", "Task", "tasks"), task);
        redactor(Map.of()).redact(type("argoproj.io", "v1alpha1", "Workflow", "workflows"), workflow);

        assertThat(task.toString() + workflow).doesNotContain("planted");
        assertThat(task.at("/spec/params/0/default").stringValue()).isEqualTo(digest.of("planted-1"));
        assertThat(strings(task.at("/spec/params/1/default"))).containsExactly("a", "b");
        assertThat(task.at("/spec/params/2/default/user").stringValue()).isEqualTo("app");
        assertThat(task.at("/spec/params/2/default/password").stringValue()).isEqualTo(digest.of("planted-2"));
        assertThat(strings(task.at("/spec/params/3/default"))).containsExactly(digest.of("planted-3"));
        JsonNode parameters = workflow.at("/spec/templates/0/inputs/parameters");
        assertThat(strings(parameters.at("/0/enum"))).containsExactly(digest.of("planted-5"), digest.of("planted-6"));
        assertThat(strings(parameters.at("/1/enum"))).containsExactly("fast", "slow");
        assertThat(parameters.at("/1/default").stringValue()).isEqualTo("fast");
    }

    @Test
    void redactsTheAnnotationsOfAStatefulSetsVolumeClaimTemplates() {
        ObjectNode statefulSet = object("""
                {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
                 "spec": {"template": {"spec": {"containers": []}}, "volumeClaimTemplates": [{"metadata": {"name": "data",
                   "annotations": {"example.com/backup": "RESTIC_PASSWORD=planted restic backup",
                                   "kubectl.kubernetes.io/last-applied-configuration": "{}"}}}]}}
                """);

        redactor(Map.of()).redact(type("apps", "v1", "StatefulSet", "statefulsets"), statefulSet);

        assertThat(statefulSet.at("/spec/volumeClaimTemplates/0/metadata/annotations").properties()).hasSize(1);
        assertThat(statefulSet.at("/spec/volumeClaimTemplates/0/metadata/annotations/example.com~1backup").stringValue())
                .isEqualTo("RESTIC_PASSWORD=" + digest.of("planted") + " restic backup");
    }

    @Test
    void takesCustomResourcesInGroupsThatLookBuiltInOffTheCopy() {
        Redactor redactor = redactor(Map.of());

        assertThat(redactor.view(type("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes"))).isEqualTo(ObjectView.WHOLE);
        assertThat(redactor.view(type("snapshot.storage.k8s.io", "v1", "VolumeSnapshot", "volumesnapshots"))).isEqualTo(ObjectView.WHOLE);
        assertThat(redactor.view(type("networking.k8s.io", "v1", "Ingress", "ingresses"))).isEqualTo(ObjectView.HEAD);
        assertThat(redactor.view(type("", "v1", "Pod", "pods"))).isEqualTo(ObjectView.HEAD);
    }

    static Stream<Arguments> podTemplates() {
        String containers = """
                {"initContainers": [{"name": "i", "env": [{"name": "PASSWORD", "value": "planted"}]}],
                 "containers": [{"name": "c", "env": [{"name": "PASSWORD", "value": "planted"}]}],
                 "ephemeralContainers": [{"name": "e", "env": [{"name": "PASSWORD", "value": "planted"}]}]}
                """;
        String template = "{\"template\": {\"spec\": " + containers + "}}";
        return Stream.of(
                Arguments.of(type("", "v1", "Pod", "pods"), "{\"spec\": " + containers + "}"),
                Arguments.of(DEPLOYMENTS, "{\"spec\": " + template + "}"),
                Arguments.of(type("apps", "v1", "ReplicaSet", "replicasets"), "{\"spec\": " + template + "}"),
                Arguments.of(type("apps", "v1", "StatefulSet", "statefulsets"), "{\"spec\": " + template + "}"),
                Arguments.of(type("apps", "v1", "DaemonSet", "daemonsets"), "{\"spec\": " + template + "}"),
                Arguments.of(type("batch", "v1", "Job", "jobs"), "{\"spec\": " + template + "}"),
                Arguments.of(type("", "v1", "ReplicationController", "replicationcontrollers"), "{\"spec\": " + template + "}"),
                Arguments.of(type("batch", "v1", "CronJob", "cronjobs"), "{\"spec\": {\"jobTemplate\": {\"spec\": " + template + "}}}"),
                Arguments.of(type("", "v1", "PodTemplate", "podtemplates"), template),
                Arguments.of(
                        type("apps", "v1", "ControllerRevision", "controllerrevisions"),
                        "{\"data\": {\"spec\": {\"template\": {\"spec\": " + containers + "}, \"$patch\": \"replace\"}}}"),
                Arguments.of(
                        type("example.com", "v1", "Runner", "runners"),
                        "{\"spec\": {\"workers\": [{\"pod\": {\"spec\": " + containers + "}}]}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("podTemplates")
    void digestsContainerValuesWhereverTheKindHoldsItsPodSpec(ResourceType type, String json) {
        ObjectNode object = object(json);

        redactor(Map.of()).redact(type, object);

        String text = object.toString();
        assertThat(text).doesNotContain("planted");
        assertThat(text.split(digest.of("planted"), -1)).hasSize(4);
    }

    @Test
    void digestsArgoHelmValuesValuesObjectAndParametersInSpecAndStatus() {
        ObjectNode application = object("""
                {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "shop"},
                 "spec": {"source": {"repoURL": "https://charts.example.com", "chart": "shop", "helm": {
                    "values": "password: planted-1\\n",
                    "valuesObject": {"db": {"password": "planted-2"}},
                    "parameters": [{"name": "db.password", "value": "planted-3"}]}}},
                 "status": {"history": [{"id": 1, "source": {"helm": {"values": "password: planted-1\\n"}}}]}}
                """);

        redactor(Map.of()).redact(APPLICATIONS, application);

        assertThat(application.toString()).doesNotContain("planted");
        assertThat(application.at("/spec/source/helm/values").stringValue()).isEqualTo(digest.of("password: planted-1\n"));
        assertThat(application.at("/spec/source/helm/valuesObject").stringValue())
                .isEqualTo(digest.ofJson(object("{\"db\": {\"password\": \"planted-2\"}}")));
        assertThat(application.at("/spec/source/helm/parameters/0/name").stringValue()).isEqualTo("db.password");
        assertThat(application.at("/status/history/0/source/helm/values").stringValue())
                .isEqualTo(digest.of("password: planted-1\n"));
    }

    @Test
    void digestsTheValuesFieldsOfOtherDeployersKindsAsArgoValuesAreDigested() {
        ObjectNode flux = object("""
                {"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease", "metadata": {"name": "shop"},
                 "spec": {"values": {"db": {"password": "planted"}},
                          "valuesFrom": [{"kind": "Secret", "name": "shop-values", "valuesKey": "values.yaml"}]}}
                """);
        ObjectNode k3s = object("""
                {"apiVersion": "helm.cattle.io/v1", "kind": "HelmChart", "metadata": {"name": "traefik"},
                 "spec": {"chart": "traefik", "valuesContent": "password: planted\\n", "set": {"a.password": "planted"}}}
                """);
        ObjectNode crossplane = object("""
                {"apiVersion": "helm.crossplane.io/v1beta1", "kind": "Release", "metadata": {"name": "shop"},
                 "spec": {"forProvider": {"values": {"token": "planted"}, "set": [{"name": "a", "value": "planted"}]}}}
                """);

        Redactor redactor = redactor(Map.of());
        redactor.redact(type("helm.toolkit.fluxcd.io", "v2", "HelmRelease", "helmreleases"), flux);
        redactor.redact(type("helm.cattle.io", "v1", "HelmChart", "helmcharts"), k3s);
        redactor.redact(type("helm.crossplane.io", "v1beta1", "Release", "releases"), crossplane);

        assertThat(List.of(flux, k3s, crossplane)).allSatisfy(o -> assertThat(o.toString()).doesNotContain("planted"));
        assertThat(flux.at("/spec/values").stringValue()).isEqualTo(digest.ofJson(object("{\"db\": {\"password\": \"planted\"}}")));
        assertThat(flux.at("/spec/valuesFrom/0/name").stringValue()).isEqualTo("shop-values");
        assertThat(k3s.at("/spec/valuesContent").stringValue()).isEqualTo(digest.of("password: planted\n"));
        assertThat(k3s.at("/spec/chart").stringValue()).isEqualTo("traefik");
        assertThat(crossplane.at("/spec/forProvider/set").stringValue())
                .isEqualTo(digest.ofJson(Json.MAPPER.readTree("[{\"name\": \"a\", \"value\": \"planted\"}]")));
    }

    @Test
    void digestsTheValuesFieldsTheConfigurationAddsThroughListsAndLeavesOtherKindsAlone() {
        ObjectNode deployer = object("""
                {"apiVersion": "example.com/v1", "kind": "Deployer", "metadata": {"name": "d"},
                 "spec": {"stages": [{"values": "planted-1"}, {"values": {"x": "planted-2"}}, {"other": "kept"}]}}
                """);
        ObjectNode other = object("""
                {"apiVersion": "example.com/v1", "kind": "Other", "metadata": {"name": "o"},
                 "spec": {"stages": [{"values": "kept"}]}}
                """);
        Redactor redactor = redactor(Map.of("collector.valuesFields", "example.com/Deployer spec.stages.values"));

        redactor.redact(type("example.com", "v1", "Deployer", "deployers"), deployer);
        redactor.redact(type("example.com", "v1", "Other", "others"), other);

        assertThat(deployer.at("/spec/stages/0/values").stringValue()).isEqualTo(digest.of("planted-1"));
        assertThat(deployer.at("/spec/stages/1/values").stringValue()).isEqualTo(digest.ofJson(object("{\"x\": \"planted-2\"}")));
        assertThat(deployer.at("/spec/stages/2/other").stringValue()).isEqualTo("kept");
        assertThat(other.at("/spec/stages/0/values").stringValue()).isEqualTo("kept");
    }

    @Test
    void takesBuiltInKindsNamedInTheValuesFieldsOffTheCopy() {
        Redactor redactor = redactor(Map.of("collector.valuesFields", "apps/Deployment spec.template.metadata.annotations"));

        assertThat(redactor.view(DEPLOYMENTS)).isEqualTo(ObjectView.WHOLE);
        assertThat(redactor(Map.of()).view(DEPLOYMENTS)).isEqualTo(ObjectView.HEAD);
    }

    @Test
    void digestsConfigMapDataUnderSensitiveKeysAndSecretsInsideTheOtherValues() {
        ObjectNode configMap = object("""
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"},
                 "data": {"db-password": "planted-1", "app.env": "LOG_LEVEL=debug\\nAPI_TOKEN=planted-2\\n",
                          "nginx.conf": "server { listen 80; }"},
                 "binaryData": {"tls.key": "%s", "logo.png": "%s"}}
                """.formatted(base64("planted-3"), base64("not-secret")));

        redactor(Map.of()).redact(CONFIG_MAPS, configMap);

        assertThat(configMap.at("/data/db-password").stringValue()).isEqualTo(digest.of("planted-1"));
        assertThat(configMap.at("/data/app.env").stringValue()).isEqualTo("LOG_LEVEL=debug\nAPI_TOKEN=" + digest.of("planted-2") + "\n");
        assertThat(configMap.at("/data/nginx.conf").stringValue()).isEqualTo("server { listen 80; }");
        assertThat(configMap.at("/binaryData/tls.key").stringValue()).isEqualTo(digest.of("planted-3"));
        assertThat(configMap.at("/binaryData/logo.png").stringValue()).isEqualTo(base64("not-secret"));
    }

    @Test
    void appliesTheContainerRulesToProbesHooksAndEveryHttpHeader() {
        ObjectNode pod = object("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"}, "spec": {"containers": [{"name": "api",
                  "livenessProbe": {"exec": {"command": ["check", "--password=planted-1"]}},
                  "readinessProbe": {"httpGet": {"httpHeaders": [{"name": "Authorization", "value": "Bearer planted-2"},
                                                                 {"name": "Accept", "value": "text/plain"}]}},
                  "lifecycle": {"preStop": {"exec": {"command": ["sh", "-c", "PGPASSWORD=planted-3 psql -c 'checkpoint'"]}}}}]}}
                """);

        redactor(Map.of()).redact(type("", "v1", "Pod", "pods"), pod);

        JsonNode container = pod.at("/spec/containers/0");
        assertThat(strings(container.at("/livenessProbe/exec/command"))).containsExactly("check", "--password=" + digest.of("planted-1"));
        assertThat(container.at("/readinessProbe/httpGet/httpHeaders/0/value").stringValue()).isEqualTo(digest.of("Bearer planted-2"));
        assertThat(container.at("/readinessProbe/httpGet/httpHeaders/1/value").stringValue()).isEqualTo(digest.of("text/plain"));
        assertThat(container.at("/readinessProbe/httpGet/httpHeaders/0/name").stringValue()).isEqualTo("Authorization");
        assertThat(strings(container.at("/lifecycle/preStop/exec/command")))
                .containsExactly("sh", "-c", "PGPASSWORD=" + digest.of("planted-3") + " psql -c 'checkpoint'");
    }

    @Test
    void appliesTheContainerRulesToAnyNodeThatLooksLikeAContainerButNotToOthers() {
        ObjectNode custom = object("""
                {"apiVersion": "example.com/v1", "kind": "Job", "metadata": {"name": "j"},
                 "spec": {"a": {"b": [{"runner": {"image": "x:1", "args": ["--token", "planted-1"]}}]},
                          "notAContainer": {"args": ["--token", "kept"]}}}
                """);

        redactor(Map.of()).redact(type("example.com", "v1", "Job", "jobs"), custom);

        assertThat(strings(custom.at("/spec/a/b/0/runner/args"))).containsExactly("--token", digest.of("planted-1"));
        assertThat(strings(custom.at("/spec/notAContainer/args"))).containsExactly("--token", "kept");
    }

    @Test
    void redactsEveryAnnotationValueAndTheAnnotationsOfTemplates() {
        ObjectNode cronJob = object("""
                {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c", "annotations": {
                   "kubernetes.io/change-cause": "kubectl create secret generic db --from-literal=password=planted-1",
                   "example.com/owner": "team-a"}},
                 "spec": {"jobTemplate": {"metadata": {"annotations": {"example.com/db": "mysql://root:planted-2@db"}},
                   "spec": {"template": {"metadata": {"annotations": {"example.com/cmd": "TOKEN=planted-3 run"}},
                     "spec": {"containers": []}}}}}}
                """);

        redactor(Map.of()).redact(type("batch", "v1", "CronJob", "cronjobs"), cronJob);

        assertThat(cronJob.at("/metadata/annotations/kubernetes.io~1change-cause").stringValue())
                .isEqualTo("kubectl create secret generic db --from-literal=password=" + digest.of("planted-1"));
        assertThat(cronJob.at("/metadata/annotations/example.com~1owner").stringValue()).isEqualTo("team-a");
        assertThat(cronJob.at("/spec/jobTemplate/metadata/annotations/example.com~1db").stringValue())
                .isEqualTo("mysql://root:" + digest.of("planted-2") + "@db");
        assertThat(cronJob.at("/spec/jobTemplate/spec/template/metadata/annotations/example.com~1cmd").stringValue())
                .isEqualTo("TOKEN=" + digest.of("planted-3") + " run");
    }

    private static Redactor redactor(Map<String, String> config) {
        return Redactor.from(RedactionSettings.from(
                ConfigSource.of(config), Map.of("REDACTION_KEY", KEY), KubeAccess.inCluster(), false));
    }

    private static ObjectNode secretWith(String value) {
        return object("""
                {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}, "data": {"password": "%s"}}
                """.formatted(base64(value)));
    }

    static ResourceType type(String group, String version, String kind, String resource) {
        return new ResourceType(group, version, kind, resource, true, List.of("get", "list", "watch"));
    }

    static ObjectNode object(String json) {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::stringValue).toList();
    }
}
