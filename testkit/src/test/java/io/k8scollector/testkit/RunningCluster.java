package io.k8scollector.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test cluster for a test class: started before its tests, faults cleared after each, closed
 * after all. Register it as a static field with {@code @RegisterExtension}.
 */
final class RunningCluster implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private final ClusterSpec spec;
    private TestCluster cluster;
    private ClusterClient client;

    RunningCluster(ClusterSpec spec) {
        this.spec = spec;
    }

    TestCluster cluster() {
        return cluster;
    }

    ClusterClient client() {
        return client;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = TestCluster.start(spec);
        client = new ClusterClient(cluster);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        cluster.faults().clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        cluster.close();
    }
}
