package io.k8scollector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** charts/k8s-receiver, rendered, linted and refused by the real helm. */
class ReceiverChartTest {

    private static final String POSTGRES = "database: {existingSecret: receiver-database}\n";

    @TempDir
    Path home;

    @Test
    void lintPassesStrictWithTheDefaultsAndWithEveryValueChanged() {
        for (String values : List.of("{}", ValueSets.RECEIVER_NON_DEFAULT)) {
            Command.Result result = Helm.receiver(home).lint(values);

            assertThat(result.succeeded()).as(result.stdout() + result.stderr()).isTrue();
            assertThat(result.stdout()).contains("0 chart(s) failed").doesNotContain("[WARNING]");
        }
    }

    @Test
    void defaultsServeOneReplicaOnSqliteOnAClaimAndRecreateThePod() {
        Manifests manifests = Helm.receiver(home).render("{}");
        JsonNode deployment = manifests.one("Deployment");
        JsonNode container = manifests.receiverContainer();
        JsonNode claim = manifests.one("PersistentVolumeClaim");

        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(deployment.path("spec").path("strategy").path("type").asString()).isEqualTo("Recreate");
        assertThat(container.path("image").asString()).isEqualTo("ghcr.io/k8s-collector/k8s-receiver:1.0.0");
        assertThat(Manifests.strings(container.path("args"))).containsExactly(
                "serve", "--port", "8080", "--db", "jdbc:sqlite:/var/lib/k8s-receiver/receiver.db", "--retain", "20");
        assertThat(Manifests.mounts(container)).containsEntry("data", "/var/lib/k8s-receiver").containsEntry("tmp", "/tmp");
        assertThat(volume(manifests, "data").path("persistentVolumeClaim").path("claimName").asString())
                .isEqualTo(claim.path("metadata").path("name").asString());
        assertThat(claim.path("spec").path("resources").path("requests").path("storage").asString()).isEqualTo("10Gi");
        assertThat(claim.path("spec").has("storageClassName")).isFalse();
        assertThat(claim.path("metadata").path("annotations").path("helm.sh/resource-policy").asString()).isEqualTo("keep");
        assertThat(manifests.ofKind("ServiceMonitor")).isEmpty();
    }

    @Test
    void theClaimTakesItsSizeAndClassAndAnEmptyDirReplacesItWhenDisabled() {
        Helm helm = Helm.receiver(home);
        JsonNode claim = helm.render("persistence: {size: 2Gi, storageClass: fast}\n").one("PersistentVolumeClaim");
        Manifests withoutClaim = helm.render("persistence: {enabled: false}\n");

        assertThat(claim.path("spec").path("resources").path("requests").path("storage").asString()).isEqualTo("2Gi");
        assertThat(claim.path("spec").path("storageClassName").asString()).isEqualTo("fast");
        assertThat(withoutClaim.ofKind("PersistentVolumeClaim")).isEmpty();
        assertThat(volume(withoutClaim, "data").has("emptyDir")).isTrue();
    }

    @Test
    void postgresqlComesFromTheSecretsFileAndNeedsNoClaim() {
        Manifests manifests = Helm.receiver(home).render(POSTGRES + "replicaCount: 2\n");
        JsonNode container = manifests.receiverContainer();
        JsonNode secret = volume(manifests, "database").path("secret");

        assertThat(manifests.ofKind("PersistentVolumeClaim")).isEmpty();
        assertThat(manifests.one("Deployment").path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(Manifests.strings(container.path("args"))).containsSubsequence("--db", "@/etc/k8s-receiver/database/url");
        assertThat(secret.path("secretName").asString()).isEqualTo("receiver-database");
        assertThat(secret.path("items").get(0).path("key").asString()).isEqualTo("url");
        assertThat(Manifests.mounts(container)).containsEntry("database", "/etc/k8s-receiver/database").doesNotContainKey("data");
        assertThat(container.path("env").toString()).doesNotContain("jdbc:");
    }

    @Test
    void withPostgresqlAnUpgradeRollsOnlyWhenTheRunningSchemaIsKnownToBeTheSame() throws IOException {
        Helm helm = Helm.receiver(home);

        assertThat(strategy(helm.render(POSTGRES))).as("no running release to compare with").isEqualTo("Recreate");
        assertThat(strategy(helm.render(POSTGRES + "updateStrategy: RollingUpdate\n"))).isEqualTo("RollingUpdate");
        assertThat(helm.render(POSTGRES).one("Deployment").path("metadata").path("annotations")
                .path("k8s-receiver/schema-version").asString()).isEqualTo(Integer.toString(highestMigration()));
    }

    @Test
    void everyValueReachesTheDeployment() {
        Manifests manifests = Helm.receiver(home).render(ValueSets.RECEIVER_NON_DEFAULT);
        JsonNode pod = manifests.deploymentPod();
        JsonNode container = manifests.receiverContainer();

        assertThat(manifests.one("Deployment").path("metadata").path("name").asString()).isEqualTo("inventory-receiver");
        assertThat(strategy(manifests)).isEqualTo("RollingUpdate");
        assertThat(container.path("image").asString()).isEqualTo("registry.example.test/inventory/receiver:2.0.0");
        assertThat(container.path("imagePullPolicy").asString()).isEqualTo("Always");
        assertThat(Manifests.strings(container.path("args"))).containsExactly("serve", "--port", "8080",
                "--db", "@/etc/k8s-receiver/database/url", "--retain", "40",
                "--metrics-token", "@/etc/k8s-receiver/metrics/token",
                "--tls-cert", "/etc/k8s-receiver/tls/tls.crt", "--tls-key", "/etc/k8s-receiver/tls/tls.key",
                "--host", "0.0.0.0");
        assertThat(Manifests.env(container)).containsEntry("JDK_JAVA_OPTIONS", "-Xmx2g").containsEntry("TZ", "UTC");
        assertThat(container.path("resources").path("limits").path("memory").asString()).isEqualTo("3Gi");
        assertThat(Manifests.mounts(container)).containsEntry("metrics", "/etc/k8s-receiver/metrics")
                .containsEntry("tls", "/etc/k8s-receiver/tls");
        assertThat(volume(manifests, "tls").path("secret").path("secretName").asString()).isEqualTo("receiver-tls");
        assertThat(volume(manifests, "metrics").path("secret").path("secretName").asString()).isEqualTo("receiver-metrics");
        assertThat(pod.path("imagePullSecrets").get(0).path("name").asString()).isEqualTo("pull");
        assertThat(pod.path("nodeSelector").path("node.example.test/pool").asString()).isEqualTo("inventory");
        assertThat(pod.path("tolerations").get(0).path("key").asString()).isEqualTo("inventory");
        assertThat(pod.path("affinity").has("podAntiAffinity")).isTrue();
        JsonNode template = manifests.one("Deployment").path("spec").path("template").path("metadata");
        assertThat(template.path("labels").path("team").asString()).isEqualTo("platform");
        assertThat(template.path("annotations").path("example.test/owner").asString()).isEqualTo("platform");
        JsonNode service = manifests.one("Service");
        assertThat(service.path("spec").path("type").asString()).isEqualTo("LoadBalancer");
        assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(443);
        assertThat(service.path("metadata").path("annotations").path("lb.example.test/internal").asString()).isEqualTo("true");
    }

    @Test
    void probesAskHealthzAndReadyzOverTheSchemeServed() {
        Helm helm = Helm.receiver(home);
        JsonNode plain = helm.render("{}").receiverContainer();
        JsonNode tls = helm.render("tls: {existingSecret: receiver-tls}\n").receiverContainer();

        assertThat(plain.path("livenessProbe").path("httpGet").path("path").asString()).isEqualTo("/healthz");
        assertThat(plain.path("readinessProbe").path("httpGet").path("path").asString()).isEqualTo("/readyz");
        assertThat(plain.path("startupProbe").path("httpGet").path("path").asString()).isEqualTo("/healthz");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(plain.path(probe).path("httpGet").path("scheme").asString()).isEqualTo("HTTP");
            assertThat(tls.path(probe).path("httpGet").path("scheme").asString()).isEqualTo("HTTPS");
            assertThat(plain.path(probe).path("httpGet").path("port").asInt()).isEqualTo(8080);
        }
        assertThat(plain.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8080);
    }

    @Test
    void theSecuritySettingsAreTheCollectorChartsAndTheServiceSelectsThePods() {
        Manifests receiver = Helm.receiver(home).render("{}");
        Manifests collector = new Helm(home).render(ValueSets.REQUIRED);

        assertThat(receiver.deploymentPod().path("securityContext"))
                .isEqualTo(collector.cronJobPod().path("securityContext"));
        assertThat(receiver.receiverContainer().path("securityContext"))
                .isEqualTo(collector.collectorContainer().path("securityContext"));
        assertThat(receiver.deploymentPod().path("automountServiceAccountToken").asBoolean(true)).isFalse();
        JsonNode selector = receiver.one("Service").path("spec").path("selector");
        JsonNode podLabels = receiver.one("Deployment").path("spec").path("template").path("metadata").path("labels");
        selector.properties().forEach(e -> assertThat(podLabels.path(e.getKey())).isEqualTo(e.getValue()));
        assertThat(receiver.one("Service").path("spec").path("ports").get(0).path("targetPort").asInt()).isEqualTo(8080);
    }

    @Test
    void theServiceMonitorScrapesMetricsWithTheTokenWhenOneIsSet() {
        Helm helm = Helm.receiver(home);
        JsonNode open = helm.render("serviceMonitor: {enabled: true}\n").one("ServiceMonitor").path("spec");
        JsonNode guarded = helm.render(ValueSets.RECEIVER_NON_DEFAULT).one("ServiceMonitor");
        JsonNode endpoint = guarded.path("spec").path("endpoints").get(0);

        assertThat(open.path("endpoints").get(0).path("path").asString()).isEqualTo("/metrics");
        assertThat(open.path("endpoints").get(0).path("port").asString()).isEqualTo("http");
        assertThat(open.path("endpoints").get(0).has("authorization")).isFalse();
        assertThat(endpoint.path("scheme").asString()).isEqualTo("https");
        assertThat(endpoint.path("port").asString()).isEqualTo("https");
        assertThat(endpoint.path("interval").asString()).isEqualTo("30s");
        assertThat(endpoint.path("authorization").path("credentials").path("name").asString()).isEqualTo("receiver-metrics");
        assertThat(endpoint.path("authorization").path("credentials").path("key").asString()).isEqualTo("token");
        assertThat(endpoint.path("tlsConfig").path("serverName").asString()).isEqualTo("receiver.example.test");
        assertThat(guarded.path("metadata").path("labels").path("release").asString()).isEqualTo("prometheus");
    }

    @Test
    void moreThanOneReplicaOrARollingUpdateOnSqliteIsRefusedWithWhatToDo() {
        Helm helm = Helm.receiver(home);
        Command.Result replicas = helm.template("replicaCount: 2\n");
        Command.Result rolling = helm.template("updateStrategy: RollingUpdate\n");

        assertThat(replicas.succeeded()).isFalse();
        assertThat(replicas.stderr()).contains("replicaCount 2 needs PostgreSQL: set database.existingSecret");
        assertThat(rolling.succeeded()).isFalse();
        assertThat(rolling.stderr()).contains("updateStrategy RollingUpdate needs PostgreSQL");
    }

    /** Each row: what is wrong, the values (lines separated by "; "), the field the error names. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            replicaCount a string      | replicaCount: 'two'                          | replicaCount
            replicaCount negative      | replicaCount: -1                             | replicaCount
            unknown pull policy        | image: {pullPolicy: Sometimes}               | pullPolicy
            empty repository           | image: {repository: ''}                      | repository
            secret name in upper case  | database: {existingSecret: PG}               | existingSecret
            misspelt database value    | database: {url: 'jdbc:postgresql://db/x'}    | url
            persistence a string       | persistence: {enabled: 'yes'}                | enabled
            size without a number      | persistence: {size: big}                     | size
            retain zero                | retain: 0                                    | retain
            port past 65535            | service: {port: 70000}                       | port
            unknown service type       | service: {type: ExternalName}                | type
            unknown strategy           | updateStrategy: Rolling                      | updateStrategy
            interval without a unit    | serviceMonitor: {enabled: true, interval: '30'} | interval
            extraArgs a string         | extraArgs: '--retain 5'                      | extraArgs
            unknown top-level value    | replicas: 2                                  | replicas
            """)
    void refusesABadValue(String what, String values, String field) {
        Command.Result result = Helm.receiver(home).template(values.replace("; ", "\n") + "\n");

        assertThat(result.succeeded()).as(what).isFalse();
        assertThat(result.stderr()).contains("values don't meet the specifications of the schema").contains(field);
    }

    @Test
    void theNotesPrintKeyCommandsForTheImageWithoutAShellAndTheDatabaseInUse() {
        Helm helm = Helm.receiver(home);
        String sqlite = helm.notes("{}");
        String postgres = helm.notes(ValueSets.RECEIVER_NON_DEFAULT);

        assertThat(sqlite).contains("kubectl -n inventory exec deploy/receiver-k8s-receiver -- "
                        + "/opt/java/bin/java -jar /app/k8s-receiver.jar keys create "
                        + "--db jdbc:sqlite:/var/lib/k8s-receiver/receiver.db --cluster CLUSTER_ID --scope ingest")
                .contains("--all-clusters --scope read")
                .contains("TLS is not set")
                .contains("Upgrades recreate the pod");
        assertThat(postgres).contains("kubectl -n inventory exec deploy/inventory-receiver -- "
                        + "/opt/java/bin/java -jar /app/k8s-receiver.jar keys create "
                        + "--db @/etc/k8s-receiver/database/url --cluster CLUSTER_ID --scope ingest")
                .contains("3 replicas").contains("https://inventory-receiver.inventory.svc:443")
                .doesNotContain("TLS is not set").doesNotContain("Upgrades recreate");
    }

    @Test
    void everyObjectCarriesTheRecommendedLabels() {
        Manifests manifests = Helm.receiver(home).render("serviceMonitor: {enabled: true}\n");

        assertThat(manifests.objects()).hasSize(4).allSatisfy(object -> assertThat(
                object.path("metadata").path("labels").propertyNames())
                .contains("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
                        "app.kubernetes.io/managed-by"));
    }

    /** The highest Flyway migration version of the receiver, over both databases' folders. */
    static int highestMigration() throws IOException {
        Pattern version = Pattern.compile("V([0-9]+)__.*\\.sql");
        try (Stream<Path> files = Files.walk(ProjectFiles.root().resolve("receiver/src/main/resources/db"))) {
            return files.map(f -> version.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .max()
                    .orElseThrow();
        }
    }

    private static String strategy(Manifests manifests) {
        return manifests.one("Deployment").path("spec").path("strategy").path("type").asString();
    }

    private static JsonNode volume(Manifests manifests, String name) {
        return manifests.deploymentPod().path("volumes").valueStream()
                .filter(v -> v.path("name").asString().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
