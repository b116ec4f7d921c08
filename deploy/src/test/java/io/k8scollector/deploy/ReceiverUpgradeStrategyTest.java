package io.k8scollector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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

    @RegisterExtension
    static final HelmCluster CLUSTER = new HelmCluster(5);

    @TempDir
    static Path dir;

    @AfterEach
    void removeTheRunningRelease() {
        CLUSTER.cluster().store().delete("apps", "deployments", "inventory", NAME);
    }

    @Test
    void anUpgradeWithTheSameSchemaRollsThePods() throws Exception {
        CLUSTER.cluster().store().put(runningDeployment(Integer.toString(ReceiverChartTest.highestMigration())));

        assertThat(strategy()).isEqualTo("RollingUpdate");
    }

    @Test
    void anUpgradeThatChangesTheSchemaRecreatesThePods() throws Exception {
        CLUSTER.cluster().store().put(runningDeployment(Integer.toString(ReceiverChartTest.highestMigration() - 1)));

        assertThat(strategy()).isEqualTo("Recreate");
    }

    @Test
    void aFirstInstallRecreates() {
        assertThat(strategy()).isEqualTo("Recreate");
    }

    private static String strategy() {
        return Helm.receiver(dir).renderAgainst(CLUSTER.kubeconfig(), POSTGRES)
                .one("Deployment").path("spec").path("strategy").path("type").asString();
    }

    private static ObjectNode runningDeployment(String schemaVersion) {
        ObjectNode deployment = new JsonMapper().createObjectNode();
        deployment.put("apiVersion", "apps/v1").put("kind", "Deployment");
        ObjectNode metadata = deployment.putObject("metadata").put("name", NAME).put("namespace", "inventory");
        HelmCluster.ownedByRelease(metadata, "receiver").put("k8s-receiver/schema-version", schemaVersion);
        deployment.putObject("spec").put("replicas", 2);
        return deployment;
    }
}
