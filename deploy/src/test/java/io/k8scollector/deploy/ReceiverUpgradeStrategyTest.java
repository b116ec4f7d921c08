package io.k8scollector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The receiver chart's strategy on PostgreSQL when Helm renders against a cluster that runs a
 * release already, as {@code helm upgrade} does: the running Deployment's schema version decides.
 */
class ReceiverUpgradeStrategyTest {

    private static final String NAME = "receiver-k8s-receiver";
    private static final String POSTGRES = "database: {existingSecret: receiver-database}\n";

    @TempDir
    static Path dir;

    static TestCluster cluster;
    static Path kubeconfig;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(ClusterSpec.builder().pods(1).seed(5).build());
        kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void removeTheRunningRelease() {
        cluster.store().delete("apps", "deployments", "inventory", NAME);
    }

    @Test
    void anUpgradeWithTheSameSchemaRollsThePods() throws Exception {
        cluster.store().put(runningDeployment(Integer.toString(ReceiverChartTest.highestMigration())));

        assertThat(strategy()).isEqualTo("RollingUpdate");
    }

    @Test
    void anUpgradeThatChangesTheSchemaRecreatesThePods() throws Exception {
        cluster.store().put(runningDeployment(Integer.toString(ReceiverChartTest.highestMigration() - 1)));

        assertThat(strategy()).isEqualTo("Recreate");
    }

    @Test
    void aFirstInstallRecreates() {
        assertThat(strategy()).isEqualTo("Recreate");
    }

    private static String strategy() {
        return Helm.receiver(dir).renderAgainst(kubeconfig, POSTGRES)
                .one("Deployment").path("spec").path("strategy").path("type").asString();
    }

    private static ObjectNode runningDeployment(String schemaVersion) {
        ObjectNode deployment = new JsonMapper().createObjectNode();
        deployment.put("apiVersion", "apps/v1").put("kind", "Deployment");
        ObjectNode metadata = deployment.putObject("metadata").put("name", NAME).put("namespace", "inventory");
        // what the previous release's Helm left on it, without which Helm refuses to take it over
        metadata.putObject("labels").put("app.kubernetes.io/managed-by", "Helm");
        metadata.putObject("annotations")
                .put("meta.helm.sh/release-name", "receiver")
                .put("meta.helm.sh/release-namespace", "inventory")
                .put("k8s-receiver/schema-version", schemaVersion);
        deployment.putObject("spec").put("replicas", 2);
        return deployment;
    }
}
