package io.k8scollector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The chart's two modes, rendered by the real helm: a CronJob, or one continuous Deployment probed on its metrics port. */
class ChartContinuousModeTest {

    private static final String CONTINUOUS = ValueSets.REQUIRED + "mode: continuous\n";

    @TempDir
    Path home;

    private static JsonNode podTemplate(JsonNode deployment) {
        return deployment.path("spec").path("template");
    }

    @Test
    void continuousRendersOneRecreatedDeploymentInsteadOfTheCronJob() {
        Manifests manifests = new Helm(home).render(CONTINUOUS);

        assertThat(manifests.ofKind("CronJob")).isEmpty();
        JsonNode deployment = manifests.one("Deployment");
        assertThat(deployment.path("apiVersion").asString()).isEqualTo("apps/v1");
        assertThat(deployment.path("spec").path("replicas").asInt()).isOne();
        assertThat(deployment.path("spec").path("strategy").path("type").asString()).isEqualTo("Recreate");
        Map<String, String> selector = Manifests.labels(deployment.path("spec").path("selector").path("matchLabels"));
        assertThat(Manifests.labels(podTemplate(deployment).path("metadata").path("labels"))).containsAllEntriesOf(selector);
        assertThat(manifests.deploymentPod().path("restartPolicy").asString()).isEqualTo("Always");
        assertThat(manifests.deploymentPod().path("terminationGracePeriodSeconds").asInt()).isEqualTo(30);
    }

    @Test
    void theCronJobStaysTheDefaultWithoutDeploymentOrPodMonitorAndSaysItsMode() {
        Manifests manifests = new Helm(home).render(ValueSets.REQUIRED);

        assertThat(manifests.ofKind("CronJob")).hasSize(1);
        assertThat(manifests.ofKind("Deployment")).isEmpty();
        assertThat(manifests.ofKind("PodMonitor")).isEmpty();
        JsonNode data = manifests.one("ConfigMap").path("data");
        assertThat(data.path("collector.mode").asString()).isEqualTo("cronjob");
        assertThat(data.has("collector.flushSeconds")).isFalse();
    }

    @Test
    void theContinuousPodRunsAsTheCronJobsDoesWithTheSameSecurityAccountEnvAndVolumes() {
        Manifests cronJob = new Helm(home).render(ValueSets.NON_DEFAULT);
        Manifests continuous = new Helm(home).render(ValueSets.NON_DEFAULT + "mode: continuous\n");
        JsonNode runPod = cronJob.cronJobPod();
        JsonNode pod = continuous.deploymentPod();
        JsonNode container = pod.path("containers").get(0);

        for (String field : List.of("securityContext", "serviceAccountName", "volumes", "nodeSelector", "tolerations", "affinity")) {
            assertThat(pod.path(field)).as(field).isEqualTo(runPod.path(field));
        }
        for (String field : List.of("image", "args", "env", "securityContext", "resources", "volumeMounts")) {
            assertThat(container.path(field)).as(field).isEqualTo(cronJob.collectorContainer().path(field));
        }
        assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
    }

    @Test
    void theMetricsPortIsNamedAndProbedOnHealthzAndReadyzWithAStartupBudgetForABigFirstCollection() {
        JsonNode container = new Helm(home).render(CONTINUOUS + "continuous: {metricsPort: 9191}\n")
                .deploymentPod().path("containers").get(0);

        assertThat(container.path("ports")).singleElement().satisfies(port -> {
            assertThat(port.path("name").asString()).isEqualTo("metrics");
            assertThat(port.path("containerPort").asInt()).isEqualTo(9191);
        });
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asString()).isEqualTo("/healthz");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asString()).isEqualTo("/readyz");
        JsonNode startup = container.path("startupProbe");
        assertThat(startup.path("httpGet").path("path").asString()).isEqualTo("/healthz");
        assertThat(List.of(container.path("livenessProbe"), container.path("readinessProbe"), startup))
                .allSatisfy(probe -> assertThat(probe.path("httpGet").path("port").asString()).isEqualTo("metrics"));
        assertThat(startup.path("periodSeconds").asInt() * startup.path("failureThreshold").asInt())
                .as("seconds the startup probe allows").isGreaterThanOrEqualTo(1800);
    }

    @Test
    void theContinuousValuesReachTheConfigMap() {
        JsonNode data = new Helm(home).render(CONTINUOUS + """
                continuous: {flushSeconds: 2, heartbeatSeconds: 30, resyncMinutes: 0, shutdownSeconds: 50,
                             metricsPort: 9191, maxPendingMb: 32, fullFetchingMinSeconds: 120}
                """).one("ConfigMap").path("data");

        assertThat(data.path("collector.mode").asString()).isEqualTo("continuous");
        assertThat(Map.of("collector.flushSeconds", data.path("collector.flushSeconds").asString(),
                "collector.heartbeatSeconds", data.path("collector.heartbeatSeconds").asString(),
                "collector.resyncMinutes", data.path("collector.resyncMinutes").asString(),
                "collector.shutdownSeconds", data.path("collector.shutdownSeconds").asString(),
                "collector.metricsPort", data.path("collector.metricsPort").asString(),
                "collector.maxPendingMb", data.path("collector.maxPendingMb").asString(),
                "collector.fullFetchingMinSeconds", data.path("collector.fullFetchingMinSeconds").asString()))
                .isEqualTo(Map.of("collector.flushSeconds", "2", "collector.heartbeatSeconds", "30",
                        "collector.resyncMinutes", "0", "collector.shutdownSeconds", "50", "collector.metricsPort", "9191",
                        "collector.maxPendingMb", "32", "collector.fullFetchingMinSeconds", "120"));
    }

    @Test
    void aPodMonitorScrapesTheMetricsPortOfTheContinuousPodOnly() {
        Manifests manifests = new Helm(home).render(CONTINUOUS + """
                podMonitor: {enabled: true, interval: 15s, labels: {release: prometheus}}
                """);
        JsonNode monitor = manifests.one("PodMonitor");

        assertThat(monitor.path("apiVersion").asString()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.path("metadata").path("labels").path("release").asString()).isEqualTo("prometheus");
        assertThat(monitor.path("spec").path("selector").path("matchLabels"))
                .isEqualTo(manifests.one("Deployment").path("spec").path("selector").path("matchLabels"));
        assertThat(Manifests.strings(monitor.path("spec").path("namespaceSelector").path("matchNames"))).containsExactly("inventory");
        assertThat(monitor.path("spec").path("podMetricsEndpoints")).singleElement().satisfies(endpoint -> {
            assertThat(endpoint.path("port").asString()).isEqualTo("metrics");
            assertThat(endpoint.path("path").asString()).isEqualTo("/metrics");
            assertThat(endpoint.path("interval").asString()).isEqualTo("15s");
        });
    }

    @Test
    void theHelmTestPodIsNeverOneTheDeploymentCouldAdopt() {
        Manifests manifests = new Helm(home).render(CONTINUOUS);
        Map<String, String> selector = Manifests.labels(manifests.one("Deployment").path("spec").path("selector").path("matchLabels"));
        Map<String, String> checkLabels = Manifests.labels(manifests.one("Pod").path("metadata").path("labels"));

        assertThat(selector.entrySet()).as("the check pod matches the Deployment's selector")
                .anyMatch(entry -> !entry.getValue().equals(checkLabels.get(entry.getKey())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fetchEverything: true", "fetchEverything: false"})
    void theClusterRoleAlreadyLetsContinuousModeWatchWhatItLists(String values) {
        JsonNode rules = new Helm(home).render(CONTINUOUS + values + "\n").one("ClusterRole").path("rules");

        assertThat(rules.valueStream().filter(rule -> Manifests.strings(rule.path("verbs")).contains("list")).toList())
                .isNotEmpty()
                .allSatisfy(rule -> assertThat(Manifests.strings(rule.path("verbs"))).containsExactly("list", "watch"));
    }

    @Test
    void theNetworkPolicyOpensTheMetricsPortOnlyToThePeersNamed() {
        String policy = """
                networkPolicy:
                  enabled: true
                  apiServerCidrs: [10.0.0.1/32]
                  endpointCidrs: [203.0.113.7/32]
                """;
        JsonNode closed = new Helm(home).render(CONTINUOUS + policy).one("NetworkPolicy").path("spec");
        JsonNode open = new Helm(home).render(CONTINUOUS + policy
                + "  metricsFrom: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]\n")
                .one("NetworkPolicy").path("spec");

        assertThat(closed.path("ingress").isEmpty()).isTrue();
        assertThat(open.path("ingress")).singleElement().satisfies(rule -> {
            assertThat(rule.path("from").get(0).path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name")
                    .asString()).isEqualTo("monitoring");
            assertThat(rule.path("ports").get(0).path("port").asInt()).isEqualTo(9090);
        });
    }

    @Test
    void lintPassesStrictInContinuousModeWithAPodMonitor() {
        Command.Result result = new Helm(home).lint(CONTINUOUS + "podMonitor: {enabled: true}\n");

        assertThat(result.succeeded()).as(result.stdout() + result.stderr()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mode: daemon|/mode",
        "'continuous: {metricsPort: 0}'|/continuous/metricsPort",
        "'continuous: {flushSeconds: 0}'|/continuous/flushSeconds",
        "'continuous: {resyncMinutes: -1}'|/continuous/resyncMinutes",
        "'continuous: {heartbeat: 60}'|/continuous",
        "'podMonitor: {enabled: yes-please}'|/podMonitor/enabled"
    })
    void theSchemaRefusesABadContinuousValue(String values, String field) {
        Command.Result result = new Helm(home).template(CONTINUOUS + values + "\n");

        assertThat(result.succeeded()).isFalse();
        assertThat(result.stderr()).contains("values don't meet the specifications of the schema").contains(field);
    }

    @Test
    void aPodMonitorWithoutContinuousModeIsRefusedSayingWhy() {
        Command.Result result = new Helm(home).template(ValueSets.REQUIRED + "podMonitor: {enabled: true}\n");

        assertThat(result.succeeded()).isFalse();
        assertThat(result.stderr()).contains("podMonitor.enabled needs mode: continuous");
    }

    @Test
    void theNotesSayHowToFollowTheContinuousPod() {
        String notes = new Helm(home).notes(CONTINUOUS);

        assertThat(notes).contains("installed as the Deployment inventory/collector-k8s-collector (mode continuous)")
                .contains("logs -f deployment/collector-k8s-collector").doesNotContain("create job");
    }
}
