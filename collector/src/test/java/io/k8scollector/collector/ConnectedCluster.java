package io.k8scollector.collector;

import io.k8scollector.collector.config.KubeAccess;
import io.k8scollector.collector.discovery.ApiServer;
import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test cluster for a test class and the collector's connection to it, through a kubeconfig as
 * a user would give it: started before the class's tests (and its {@code @BeforeAll} methods),
 * faults cleared after each test, closed after all. Register it as a static field with
 * {@code @RegisterExtension}.
 */
public final class ConnectedCluster implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private final ClusterSpec spec;
    private Path kubeconfig;
    private TestCluster cluster;
    private ApiServer server;

    public ConnectedCluster(ClusterSpec spec) {
        this.spec = spec;
    }

    public TestCluster cluster() {
        return cluster;
    }

    public ApiServer server() {
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        kubeconfig = Files.createTempFile("connected-cluster", ".kubeconfig");
        cluster = TestCluster.start(spec);
        server = ApiServer.connect(new KubeAccess(cluster.writeKubeconfig(kubeconfig), null));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        cluster.faults().clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
        cluster.close();
        try {
            Files.deleteIfExists(kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
