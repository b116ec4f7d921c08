package io.k8scollector.collector;

import io.k8scollector.collector.config.KubeAccess;
import io.k8scollector.collector.discovery.ApiServer;
import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import java.nio.file.Path;

/** A test cluster and the collector's connection to it, through a kubeconfig as a user would give it. */
public record ConnectedCluster(TestCluster cluster, ApiServer server) implements AutoCloseable {

    /** Starts a cluster of {@code spec} and connects to it with a kubeconfig written into {@code dir}. */
    public static ConnectedCluster start(ClusterSpec spec, Path dir) {
        TestCluster cluster = TestCluster.start(spec);
        return new ConnectedCluster(cluster, ApiServer.connect(new KubeAccess(cluster.writeKubeconfig(dir.resolve("kubeconfig")), null)));
    }

    @Override
    public void close() {
        server.close();
        cluster.close();
    }
}
