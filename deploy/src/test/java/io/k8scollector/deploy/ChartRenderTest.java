package io.k8scollector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

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
                .containsEntry("JDK_JAVA_OPTIONS", "-XX:+UseSerialGC -XX:-TieredCompilation -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData");
        assertThat(mounts(container)).containsEntry("config", "/etc/config").containsEntry("tmp", "/tmp");
        JsonNode volumes = manifests.cronJobPod().path("volumes");
        assertThat(volumes.get(0).path("configMap").path("name").asString())
                .isEqualTo(manifests.one("ConfigMap").path("metadata").path("name").asString());
        assertThat(volumes.get(1).has("emptyDir")).isTrue();
        assertThat(manifests.cronJobPod().path("serviceAccountName").asString())
                .isEqualTo(manifests.one("ServiceAccount").path("metadata").path("name").asString());
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
        assertThat(env(container)).containsEntry("JDK_JAVA_OPTIONS", "-Xmx300m")
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
    void everyObjectCarriesTheRecommendedLabels() {
        Manifests manifests = new Helm(home).render(ValueSets.NON_DEFAULT);

        assertThat(manifests.objects()).hasSize(5).allSatisfy(object -> assertThat(
                object.path("metadata").path("labels").propertyNames())
                .contains("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
                        "app.kubernetes.io/managed-by"));
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
