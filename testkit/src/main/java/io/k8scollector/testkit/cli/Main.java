package io.k8scollector.testkit.cli;

import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code k8s-testcluster}: runs a test cluster until killed. Writes its kubeconfig, prints its URL on
 * stdout (the only thing on stdout) and logs to stderr.
 */
@Command(name = "k8s-testcluster", mixinStandardHelpOptions = true,
        description = "A loopback Kubernetes API server with a seeded cluster (see docs/testkit.md).")
public final class Main implements Callable<Integer> {

    @Option(names = "--pods", description = "Pods to generate (default: ${DEFAULT-VALUE}).", defaultValue = "100")
    private int pods;

    @Option(names = "--namespaces", description = "Application namespaces (default: ${DEFAULT-VALUE}).",
            defaultValue = "4")
    private int namespaces;

    @Option(names = "--seed", description = "Generator seed (default: ${DEFAULT-VALUE}).", defaultValue = "42")
    private long seed;

    @Option(names = "--port", description = "Port on 127.0.0.1, 0 for any free one (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    private int port;

    @Option(names = "--kubeconfig", required = true, description = "Where to write the kubeconfig.")
    private Path kubeconfig;

    /** Runs the command line; exit code 2 for bad arguments. */
    public static void main(String[] args) {
        System.setProperty("logback.configurationFile", "testcluster-logback.xml");
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        ClusterSpec spec;
        try {
            spec = ClusterSpec.builder().pods(pods).namespaces(namespaces).seed(seed).port(port).build();
        } catch (IllegalArgumentException e) {
            System.err.println("k8s-testcluster: " + e.getMessage());
            return 2;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        long start = System.nanoTime();
        TestCluster cluster = TestCluster.start(spec);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "testcluster-shutdown"));
        cluster.writeKubeconfig(kubeconfig);
        log.info("Test cluster with {} pods serving at {} (ready in {} ms); kubeconfig {}", pods, cluster.url(),
                (System.nanoTime() - start) / 1_000_000, kubeconfig);
        System.out.println(cluster.url());
        System.out.flush();
        new CountDownLatch(1).await();
        return 0;
    }
}
