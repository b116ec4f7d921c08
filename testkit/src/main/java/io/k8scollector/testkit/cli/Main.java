package io.k8scollector.testkit.cli;

import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import io.k8scollector.testkit.store.ObjectStore;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code k8s-testcluster}: runs a test cluster until killed. Writes its kubeconfig, prints its URL on
 * stdout (the only thing on stdout) and logs to stderr.
 */
@Command(name = "k8s-testcluster", mixinStandardHelpOptions = true,
        resourceBundle = "io.k8scollector.testkit.cli.version", version = "k8s-testcluster ${bundle:version}",
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

    @Option(names = "--churn", paramLabel = "EVENTS_PER_S", description = "Changes per second once serving: "
            + "pods created, relabelled and deleted, Helm upgrades (default: ${DEFAULT-VALUE}, none).",
            defaultValue = "0")
    private double churn;

    @Option(names = "--watch-history", paramLabel = "EVENTS", description = "Changes per type that watches "
            + "can replay; older resourceVersions get 410 Gone (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + ObjectStore.DEFAULT_HISTORY_EVENTS)
    private int watchHistory;

    @Option(names = "--bookmark-seconds", description = "Seconds between watch bookmarks (default: "
            + "${DEFAULT-VALUE}).", defaultValue = "5")
    private int bookmarkSeconds;

    @Option(names = "--kubeconfig", required = true, description = "Where to write the kubeconfig.")
    private Path kubeconfig;

    @Spec
    private CommandSpec spec;

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
        PrintWriter err = spec.commandLine().getErr();
        ClusterSpec clusterSpec;
        try {
            clusterSpec = ClusterSpec.builder().pods(pods).namespaces(namespaces).seed(seed).port(port)
                    .churn(churn).watchHistory(watchHistory).bookmarkInterval(Duration.ofSeconds(bookmarkSeconds))
                    .build();
        } catch (IllegalArgumentException e) {
            err.println("k8s-testcluster: " + e.getMessage());
            err.flush();
            return 2;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        long start = System.nanoTime();
        TestCluster cluster = null;
        try {
            cluster = TestCluster.start(clusterSpec);
            cluster.writeKubeconfig(kubeconfig);
        } catch (UncheckedIOException e) {
            if (cluster != null) {
                cluster.close();
            }
            err.println("k8s-testcluster: " + e.getMessage() + ": " + e.getCause().getMessage());
            err.flush();
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "testcluster-shutdown"));
        log.info("Test cluster with {} pods serving at {} (ready in {} ms, churn {}/s); kubeconfig {}", pods,
                cluster.url(), (System.nanoTime() - start) / 1_000_000, churn, kubeconfig);
        PrintWriter out = spec.commandLine().getOut();
        out.println(cluster.url());
        out.flush();
        new CountDownLatch(1).await();
        return 0;
    }
}
