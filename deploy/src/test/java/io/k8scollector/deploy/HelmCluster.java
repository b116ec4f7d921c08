package io.k8scollector.deploy;

import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.node.ObjectNode;

/**
 * The test cluster (a real API server on loopback) that a test class renders a chart against, as
 * {@code helm upgrade} does, so that the chart's {@code lookup} reads it: started before the
 * class's tests, with its kubeconfig, and stopped after them. Register it with
 * {@code @RegisterExtension}.
 */
final class HelmCluster implements BeforeAllCallback, AfterAllCallback {

    private final long seed;
    private TestCluster cluster;
    private Path kubeconfig;

    HelmCluster(long seed) {
        this.seed = seed;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        cluster = TestCluster.start(ClusterSpec.builder().pods(1).seed(seed).build());
        kubeconfig = cluster.writeKubeconfig(Files.createTempDirectory("helm-cluster-").resolve("kubeconfig"));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        cluster.close();
        try {
            Files.deleteIfExists(kubeconfig);
            Files.deleteIfExists(kubeconfig.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestCluster cluster() {
        return cluster;
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    /**
     * Marks {@code metadata} as what an earlier install of {@code release} in namespace inventory
     * left on its object, without which Helm refuses to take the object over; returns its annotations.
     */
    static ObjectNode ownedByRelease(ObjectNode metadata, String release) {
        metadata.putObject("labels").put("app.kubernetes.io/managed-by", "Helm");
        return metadata.putObject("annotations")
                .put("meta.helm.sh/release-name", release)
                .put("meta.helm.sh/release-namespace", "inventory");
    }
}
