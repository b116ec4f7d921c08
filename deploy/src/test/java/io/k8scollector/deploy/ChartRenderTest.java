package io.k8scollector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class ChartRenderTest {

    @TempDir
    Path home;

    @Test
    void defaultsRunEveryFifteenMinutesWithoutOverlappingRuns() {
        JsonNode cronJob = new Helm(home).render(ValueSets.REQUIRED).one("CronJob");

        assertThat(cronJob.path("apiVersion").asString()).isEqualTo("batch/v1");
        assertThat(cronJob.path("spec").path("schedule").asString()).isEqualTo("*/15 * * * *");
        assertThat(cronJob.path("spec").path("concurrencyPolicy").asString()).isEqualTo("Forbid");
        assertThat(cronJob.path("spec").path("jobTemplate").path("spec").path("template").path("spec")
                .path("restartPolicy").asString()).isEqualTo("Never");
    }

    @Test
    void jobSettingsFollowTheValues() {
        JsonNode spec = new Helm(home).render(ValueSets.NON_DEFAULT).one("CronJob").path("spec");

        assertThat(spec.path("schedule").asString()).isEqualTo("7 */2 * * *");
        assertThat(spec.path("concurrencyPolicy").asString()).isEqualTo("Replace");
        assertThat(spec.path("suspend").asBoolean()).isTrue();
        assertThat(spec.path("successfulJobsHistoryLimit").asInt()).isEqualTo(1);
        assertThat(spec.path("failedJobsHistoryLimit").asInt()).isEqualTo(5);
        assertThat(spec.path("startingDeadlineSeconds").asInt()).isEqualTo(60);
        assertThat(spec.path("jobTemplate").path("spec").path("activeDeadlineSeconds").asInt()).isEqualTo(3000);
        assertThat(spec.path("jobTemplate").path("spec").path("backoffLimit").asInt()).isZero();
    }

    @Test
    void containerRunsTheCollectorOnTheMountedConfigDirectory() {
        Manifests manifests = new Helm(home).render(ValueSets.REQUIRED);
        JsonNode container = manifests.collectorContainer();

        assertThat(container.path("image").asString()).isEqualTo("ghcr.io/k8s-collector/k8s-collector:1.0.0");
        assertThat(Manifests.strings(container.path("args"))).containsExactly("-config", "/etc/config", "prod-eu_1");
        assertThat(env(container)).containsEntry("CLUSTER_ID", "prod-eu_1")
                .containsEntry("JDK_JAVA_OPTIONS", "-XX:+UseSerialGC -Xmn24m -XX:SurvivorRatio=4 -XX:-TieredCompilation"
                        + " -XX:InitialRAMPercentage=0 -XX:TrimNativeHeapInterval=1000 -XX:CICompilerCount=1"
                        + " -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData")
                .containsEntry("MALLOC_ARENA_MAX", "2");
        assertThat(mounts(container)).containsEntry("config", "/etc/config").containsEntry("tmp", "/tmp");
        JsonNode volumes = manifests.cronJobPod().path("volumes");
        assertThat(volumes.get(0).path("configMap").path("name").asString())
                .isEqualTo(manifests.one("ConfigMap").path("metadata").path("name").asString());
        assertThat(volumes.get(1).has("emptyDir")).isTrue();
        assertThat(manifests.cronJobPod().path("serviceAccountName").asString())
                .isEqualTo(manifests.one("ServiceAccount").path("metadata").path("name").asString());
    }

    /** The pod's JVM gets what bin/k8s-collector gives it: the same options and malloc arenas. */
    @Test
    void thePodsJvmHasTheLaunchersMemorySettings() {
        Map<String, String> env = env(new Helm(home).render(ValueSets.REQUIRED).collectorContainer());

        assertThat(env.get("JDK_JAVA_OPTIONS").split(" ")).contains(ProjectFiles.launcherJvmOptions().toArray(String[]::new));
        assertThat(env).containsEntry("MALLOC_ARENA_MAX", ProjectFiles.launcherMallocArenaMax());
    }

    @Test
    void mallocArenaMaxOfZeroLeavesGlibcsDefault() {
        Map<String, String> env = env(new Helm(home).render(ValueSets.REQUIRED + "mallocArenaMax: 0\n").collectorContainer());

        assertThat(env).containsKey("JDK_JAVA_OPTIONS").doesNotContainKey("MALLOC_ARENA_MAX");
    }

    @Test
    void defaultSecurityContextIsNonRootReadOnlyAndWithoutCapabilities() {
        Manifests manifests = new Helm(home).render(ValueSets.REQUIRED);
        JsonNode pod = manifests.cronJobPod().path("securityContext");
        JsonNode container = manifests.collectorContainer().path("securityContext");

        assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("runAsUser").asInt()).isEqualTo(65532);
        assertThat(pod.path("seccompProfile").path("type").asString()).isEqualTo("RuntimeDefault");
        assertThat(container.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.path("runAsUser").asInt()).isEqualTo(65532);
        assertThat(container.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(Manifests.strings(container.path("capabilities").path("drop"))).containsExactly("ALL");
        assertThat(container.path("seccompProfile").path("type").asString()).isEqualTo("RuntimeDefault");
    }

    @Test
    void credentialsComeFromTheChartsSecretByDefault() {
        Manifests manifests = new Helm(home).render(ValueSets.REQUIRED);
        JsonNode secret = manifests.named("Secret", "collector-k8s-collector");

        assertThat(decoded(secret, "accessKey")).isEqualTo("the-access-key");
        assertThat(decoded(secret, "secretKey")).isEqualTo("the-secret-key");
        assertThat(secretRefs(manifests.collectorContainer()))
                .containsEntry("INFRALIGHT_ACCESS_KEY", "collector-k8s-collector/accessKey")
                .containsEntry("INFRALIGHT_SECRET_KEY", "collector-k8s-collector/secretKey");
    }

    @Test
    void anExistingSecretReplacesTheChartsSecret() {
        Manifests manifests = new Helm(home).render(ValueSets.NON_DEFAULT);

        assertThat(manifests.ofKind("Secret")).isEmpty();
        assertThat(secretRefs(manifests.collectorContainer()))
                .containsEntry("INFRALIGHT_ACCESS_KEY", "collector-keys/accessKey")
                .containsEntry("INFRALIGHT_SECRET_KEY", "collector-keys/secretKey")
                .containsEntry("REDACTION_KEY", "collector-redaction/redactionKey");
    }

    @Test
    void aRedactionKeyIsGeneratedWhenNoneExists() {
        Manifests manifests = new Helm(home).render(ValueSets.REQUIRED);
        String key = decoded(manifests.named("Secret", "collector-k8s-collector-redaction"), "redactionKey");
        String other = decoded(new Helm(home).render(ValueSets.REQUIRED)
                .named("Secret", "collector-k8s-collector-redaction"), "redactionKey");

        assertThat(key).hasSize(48).matches("[A-Za-z0-9]+").isNotEqualTo(other);
        assertThat(secretRefs(manifests.collectorContainer()))
                .containsEntry("REDACTION_KEY", "collector-k8s-collector-redaction/redactionKey");
    }

    @Test
    void everyCollectorSettingReachesTheConfigMap() {
        Manifests manifests = new Helm(home).render(ValueSets.NON_DEFAULT);
        JsonNode data = manifests.one("ConfigMap").path("data");

        assertThat(data.path("endpoint").asString()).isEqualTo("https://ingest.example.test/api");
        assertThat(data.path("loginEndpoint").asString()).isEqualTo("https://login.example.test");
        assertThat(data.path("collector.overrideUniqueClusterId").asString()).isEqualTo("true");
        assertThat(data.path("collector.allowInsecureEndpoint").asString()).isEqualTo("true");
        assertThat(data.path("collector.watchNamespace").asString()).isEqualTo("shop");
        assertThat(manifests.configLines("collector.ignoreNamespaces")).containsExactly("kube-system", "kube-public");
        assertThat(data.path("collector.labelSelector").asString()).isEqualTo("tier!=cache");
        assertThat(data.path("collector.secrets").asString()).isEqualTo("drop");
        assertThat(manifests.configLines("collector.redactAnnotations")).containsExactly("example.test/token");
        assertThat(data.path("collector.sensitivePattern").asString()).isEqualTo("(?i)passw");
        assertThat(data.path("collector.endpointCaFile").asString()).isEqualTo("/etc/endpoint-ca/ca.pem");
        assertThat(data.path("collector.PageSize").asString()).isEqualTo("256");
        assertThat(data.path("collector.MaxGoRoutines").asString()).isEqualTo("2");
        assertThat(data.path("collector.listPageSize").asString()).isEqualTo("100");
        assertThat(data.path("collector.listConcurrency").asString()).isEqualTo("3");
        assertThat(data.path("collector.apiQps").asString()).isEqualTo("12");
        assertThat(data.path("collector.maxItemSizeKb").asString()).isEqualTo("900");
        assertThat(data.path("collector.gzipLevel").asString()).isEqualTo("6");
        assertThat(data.path("collector.retry.maxAttempts").asString()).isEqualTo("4");
        assertThat(data.path("collector.retry.deadlineSeconds").asString()).isEqualTo("60");
        assertThat(data.path("collector.connectTimeoutSeconds").asString()).isEqualTo("5");
        assertThat(data.path("collector.requestTimeoutSeconds").asString()).isEqualTo("30");
        JsonNode container = manifests.collectorContainer();
        assertThat(Manifests.strings(container.path("args"))).containsExactly("-config", "/etc/config", "-debug", "staging-2");
        assertThat(env(container)).containsEntry("JDK_JAVA_OPTIONS", "-Xmx300m").containsEntry("MALLOC_ARENA_MAX", "4")
                .containsEntry("HTTPS_PROXY", "http://proxy.example.test:3128");
        assertThat(mounts(container)).containsEntry("endpoint-ca", "/etc/endpoint-ca");
    }

    @Test
    void defaultsLeaveOptionalKeysOutOfTheConfigMap() {
        JsonNode data = new Helm(home).render(ValueSets.REQUIRED).one("ConfigMap").path("data");

        assertThat(data.has("loginEndpoint")).isFalse();
        assertThat(data.has("collector.watchNamespace")).isFalse();
        assertThat(data.has("collector.excludeResources")).isFalse();
        assertThat(data.path("collector.secrets").asString()).isEqualTo("hash");
        assertThat(data.path("collector.PageSize").asString()).isEqualTo("500");
        assertThat(data.path("collector.allowInsecureEndpoint").asString()).isEqualTo("false");
    }

    @Test
    void noNetworkPolicyUnlessEnabled() {
        assertThat(new Helm(home).render(ValueSets.REQUIRED).ofKind("NetworkPolicy")).isEmpty();
    }

    @Test
    void theNetworkPolicyLetsTheCollectorReachOnlyTheApiServerTheEndpointAndDns() {
        Manifests manifests = new Helm(home).render(ValueSets.REQUIRED + """
                networkPolicy:
                  enabled: true
                  apiServerCidrs: [10.0.0.1/32, 10.96.0.1/32]
                  endpointCidrs: [203.0.113.7/32]
                """);
        JsonNode spec = manifests.one("NetworkPolicy").path("spec");
        JsonNode egress = spec.path("egress");

        assertThat(podLabels(manifests)).containsAllEntriesOf(matchLabels(spec.path("podSelector")));
        assertThat(Manifests.strings(spec.path("policyTypes"))).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(spec.path("ingress").isEmpty()).isTrue();
        assertThat(egress.size()).isEqualTo(3);
        assertThat(cidrs(egress.get(0))).containsExactly("10.0.0.1/32", "10.96.0.1/32");
        assertThat(ports(egress.get(0))).containsExactly("TCP/443", "TCP/6443");
        assertThat(cidrs(egress.get(1))).containsExactly("203.0.113.7/32");
        assertThat(ports(egress.get(1))).containsExactly("TCP/443");
        JsonNode dns = egress.get(2).path("to").get(0);
        assertThat(egress.get(2).path("to").size()).isEqualTo(1);
        assertThat(matchLabels(dns.path("namespaceSelector")))
                .containsExactly(Map.entry("kubernetes.io/metadata.name", "kube-system"));
        assertThat(matchLabels(dns.path("podSelector"))).containsExactly(Map.entry("k8s-app", "kube-dns"));
        assertThat(ports(egress.get(2))).containsExactly("UDP/53", "TCP/53");
    }

    @Test
    void theNetworkPolicyTakesOtherPortsDnsPodsAndRules() {
        JsonNode egress = new Helm(home).render(ValueSets.NON_DEFAULT).one("NetworkPolicy").path("spec").path("egress");

        assertThat(egress.size()).isEqualTo(4);
        assertThat(cidrs(egress.get(0))).containsExactly("10.0.0.1/32", "fd00:10::1/128");
        assertThat(ports(egress.get(0))).containsExactly("TCP/8443");
        assertThat(ports(egress.get(1))).containsExactly("TCP/443", "TCP/3128");
        assertThat(matchLabels(egress.get(2).path("to").get(0).path("podSelector")))
                .containsExactly(Map.entry("k8s-app", "coredns"));
        assertThat(cidrs(egress.get(3))).containsExactly("169.254.20.10/32");
        assertThat(ports(egress.get(3))).containsExactly("UDP/53");
    }

    @Test
    void nullDnsPodLabelsAllowEveryPodOfKubeSystem() {
        JsonNode dns = new Helm(home).render(ValueSets.REQUIRED + """
                networkPolicy:
                  enabled: true
                  apiServerCidrs: [10.0.0.1/32]
                  endpointCidrs: [203.0.113.7/32]
                  dnsPodLabels: null
                """).one("NetworkPolicy").path("spec").path("egress").get(2).path("to").get(0);

        assertThat(dns.path("podSelector").isObject()).isTrue();
        assertThat(dns.path("podSelector").isEmpty()).isTrue();
        assertThat(matchLabels(dns.path("namespaceSelector"))).containsKey("kubernetes.io/metadata.name");
    }

    @Test
    void anHttpEndpointIsRefusedUnlessOnLoopbackOrAllowed() {
        Helm helm = new Helm(home);
        String keys = "clusterId: prod\naccessKey: a\nsecretKey: s\n";

        Command.Result plain = helm.template(keys + "apiEndpoint: http://ingest.example.test/api\n");
        Command.Result plainLogin = helm.template(keys + "apiEndpoint: https://ingest.example.test/api\n"
                + "loginEndpoint: http://login.example.test\n");

        assertThat(plain.succeeded()).isFalse();
        assertThat(plain.stderr()).contains("apiEndpoint 'http://ingest.example.test/api' is not https")
                .contains("allowInsecureEndpoint=true");
        assertThat(plainLogin.succeeded()).isFalse();
        assertThat(plainLogin.stderr()).contains("loginEndpoint 'http://login.example.test' is not https");
        for (String loopback : List.of("http://localhost:8080/api", "http://127.0.0.1:8080", "http://[::1]:8080/api")) {
            assertThat(helm.render(keys + "apiEndpoint: " + loopback + "\n").one("ConfigMap").path("data")
                    .path("endpoint").asString()).isEqualTo(loopback);
        }
        assertThat(helm.render(keys + "apiEndpoint: http://ingest.example.test/api\nallowInsecureEndpoint: true\n")
                .one("ConfigMap").path("data").path("collector.allowInsecureEndpoint").asString()).isEqualTo("true");
    }

    @Test
    void theNotesSayHowToRunNowAndWhereToLook() {
        String notes = new Helm(home).notes(ValueSets.REQUIRED + "fetchEverything: false\n");

        assertThat(notes)
                .contains("kubectl -n inventory create job --from=cronjob/collector-k8s-collector $job")
                .contains("kubectl -n inventory logs -f job/$job")
                .contains("kubectl -n inventory get jobs -l app.kubernetes.io/instance=collector")
                .contains("\"forbidden\"");
    }

    @Test
    void theNotesWarnThatAKeyRenderedWithoutTheClusterChangesAtEveryRender() {
        Helm helm = new Helm(home);

        assertThat(helm.notes(ValueSets.REQUIRED)).contains("WARNING: rendered without access to the cluster")
                .contains("redaction.existingSecret")
                .contains("kubectl -n inventory create secret generic k8s-collector-redaction")
                .contains("--from-literal=redactionKey=$(openssl rand -hex 32)");
        assertThat(helm.template(ValueSets.REQUIRED).stdout()).contains("# Rendered without access to the cluster");
        assertThat(helm.notes(ValueSets.NON_DEFAULT)).doesNotContain("WARNING");
    }

    @Test
    void everyObjectCarriesTheRecommendedLabels() {
        Manifests manifests = new Helm(home).render(ValueSets.NON_DEFAULT);

        assertThat(manifests.objects()).hasSize(7).allSatisfy(object -> assertThat(
                object.path("metadata").path("labels").propertyNames())
                .contains("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
                        "app.kubernetes.io/managed-by"));
    }

    @Test
    void helmTestRunsTheCheckInThePodOfTheCronJobsRuns() {
        for (String values : List.of(ValueSets.REQUIRED, ValueSets.NON_DEFAULT)) {
            Manifests manifests = new Helm(home).render(values);
            JsonNode test = manifests.one("Pod");
            assertThat(test.path("metadata").path("annotations").path("helm.sh/hook").asString()).isEqualTo("test");
            assertThat(test.path("metadata").path("namespace").asString()).isEqualTo("inventory");

            JsonNode run = manifests.cronJobPod();
            List<String> runArgs = Manifests.strings(manifests.collectorContainer().path("args"));
            ObjectNode check = (ObjectNode) test.path("spec").deepCopy();
            ArrayNode checkArgs = (ArrayNode) check.path("containers").get(0).path("args");
            assertThat(Manifests.strings(checkArgs)).as("check, then the run's own flags, no --strict")
                    .containsExactlyElementsOf(concat(List.of("check"), runArgs));
            checkArgs.remove(0);
            assertThat(check).as("the same service account, config, keys and security settings").isEqualTo(run);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static Map<String, String> matchLabels(JsonNode selector) {
        Map<String, String> labels = new TreeMap<>();
        selector.path("matchLabels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
        return labels;
    }

    private static Map<String, String> podLabels(Manifests manifests) {
        Map<String, String> labels = new TreeMap<>();
        manifests.one("CronJob").path("spec").path("jobTemplate").path("spec").path("template").path("metadata")
                .path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
        return labels;
    }

    private static List<String> cidrs(JsonNode egressRule) {
        return egressRule.path("to").valueStream().map(peer -> peer.path("ipBlock").path("cidr").asString()).toList();
    }

    private static List<String> ports(JsonNode egressRule) {
        return egressRule.path("ports").valueStream()
                .map(port -> port.path("protocol").asString() + "/" + port.path("port").asInt()).toList();
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new TreeMap<>();
        container.path("env").forEach(e -> {
            if (e.has("value")) {
                env.put(e.path("name").asString(), e.path("value").asString());
            }
        });
        return env;
    }

    private static Map<String, String> secretRefs(JsonNode container) {
        Map<String, String> refs = new TreeMap<>();
        container.path("env").forEach(e -> {
            JsonNode ref = e.path("valueFrom").path("secretKeyRef");
            if (!ref.isMissingNode()) {
                refs.put(e.path("name").asString(), ref.path("name").asString() + "/" + ref.path("key").asString());
            }
        });
        return refs;
    }

    private static Map<String, String> mounts(JsonNode container) {
        Map<String, String> mounts = new TreeMap<>();
        container.path("volumeMounts").forEach(m -> mounts.put(m.path("name").asString(), m.path("mountPath").asString()));
        return mounts;
    }

    private static String decoded(JsonNode secret, String key) {
        return new String(Base64.getDecoder().decode(secret.path("data").path(key).asString()), StandardCharsets.UTF_8);
    }
}
