package io.k8scollector.demo;

import io.k8scollector.collector.Version;
import io.k8scollector.collector.cli.Main;
import io.k8scollector.receiver.keys.AccessKeys;
import io.k8scollector.receiver.keys.NewKey;
import io.k8scollector.receiver.keys.Scope;
import io.k8scollector.receiver.server.ReceiverServer;
import io.k8scollector.receiver.server.ReceiverSettings;
import io.k8scollector.receiver.store.Database;
import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/k8s-collector demo}, the embedded default: starts the test cluster and the
 * reference receiver (SQLite in a temporary folder) on this machine, makes an ingest key for the
 * collector, runs a full collection into the receiver through the collector's own command line,
 * and prints the run summary and what to do next. With {@code --keep-running} it prints the
 * inventory page's URL and a read key to sign in with, and stays up until Ctrl-C; without it the
 * page is gone when the demo ends, so it says how to keep it up instead. The log lines of the
 * three parts go to a log file whose path it prints, or to stderr with {@code --verbose}. Kept
 * out of the collector's jar so that the image ships only the collector.
 */
@Command(name = "k8s-collector demo", mixinStandardHelpOptions = true, versionProvider = Demo.VersionProvider.class,
        description = "Test cluster + receiver + collector, end to end on this machine.")
public final class Demo implements Callable<Integer> {

    private static final String CLUSTER_ID = "demo-cluster";

    /** How long Ctrl-C waits for the demo to close its parts and delete its folder. */
    private static final Duration TIDY_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--pods", defaultValue = "1000", description = "Pods in the test cluster (default: ${DEFAULT-VALUE}).")
    int pods;

    @Option(names = "--port", defaultValue = "0",
            description = "Receiver port on 127.0.0.1 (default: any free port).")
    int port;

    @Option(names = "--keep-running",
            description = "Keep the test cluster and the receiver up until Ctrl-C, and print the inventory page's URL "
                    + "and a key to sign in with.")
    boolean keepRunning;

    @Option(names = "--watch",
            description = "Continuous mode: the test cluster changes (--churn), the collector watches it and ships each "
                    + "change as a delta; a line per delta until Ctrl-C.")
    boolean watch;

    @Option(names = "--churn", defaultValue = "5",
            description = "With --watch: changes per second in the test cluster (default: ${DEFAULT-VALUE}).")
    double churn;

    @Option(names = "--verbose",
            description = "Log lines of the test cluster, receiver and collector on stderr instead of in a log file.")
    boolean verbose;

    private final PrintStream out;

    Demo(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.setProperty("logback.configurationFile", "demo-logback.xml");
        System.exit(new CommandLine(new Demo(System.out)).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("k8s-collector-demo");
        String seeTheLog;
        if (verbose) {
            DemoLogging.toStderr();
            seeTheLog = "see the log lines on stderr";
        } else {
            // outside the work folder, which goes at exit: the log is what is left to read after a failure
            Path log = Files.createTempFile("k8s-collector-demo-", ".log");
            DemoLogging.toFile(log);
            out.println("Log lines (test cluster, receiver, collector) go to " + log + "; --verbose shows them here.");
            seeTheLog = "see " + log;
        }
        out.println("Starting a test cluster with " + pods + " pods and a receiver (SQLite in " + work + ")...");
        CountDownLatch tidy = new CountDownLatch(1);
        try (TestCluster cluster = TestCluster.start(ClusterSpec.builder().pods(pods).churn(watch ? churn : 0).build());
                Database db = Database.open("jdbc:sqlite:" + work.resolve("receiver.db"));
                ReceiverServer receiver = ReceiverServer.start(ReceiverSettings.onPort(port).withHost("127.0.0.1"),
                        db, Clock.systemUTC())) {
            String endpoint = "http://127.0.0.1:" + receiver.port();
            AccessKeys keys = new AccessKeys(db);
            NewKey ingest = keys.create(List.of(CLUSTER_ID), Set.of(Scope.INGEST), Instant.now());
            Path kubeconfig = cluster.writeKubeconfig(work.resolve("kubeconfig"));
            Path config = Files.createDirectory(work.resolve("config"));
            Files.writeString(config.resolve("endpoint"), endpoint);
            List<String> args = new ArrayList<>(List.of("-external", kubeconfig.toString(), "-config", config.toString()));
            if (watch) {
                Files.writeString(config.resolve("collector.metricsPort"), "0");
                args.add("-watch");
                DemoLogging.deltasTo(out);
                installTidyHook(tidy);
                out.println("Watching the test cluster (" + churn + " changes/s): a line per delta until Ctrl-C...");
            } else {
                out.println("Collecting the test cluster into the receiver...");
            }
            args.add(CLUSTER_ID);

            int code = Main.runEmbedded(args.toArray(String[]::new),
                    Map.of("INFRALIGHT_ACCESS_KEY", ingest.accessKey(), "INFRALIGHT_SECRET_KEY", ingest.secretKey(),
                            // the demo's digests need not outlive it: no key file in the user's home
                            "REDACTION_KEY", UUID.randomUUID().toString()),
                    OutputStream.nullOutputStream(), out);
            if (code != 0) {
                out.println("The collector failed with exit code " + code + "; " + seeTheLog + ".");
                return code;
            }
            out.println(watch ? "The collector stopped." : "The snapshot is committed.");
            if (keepRunning && !watch) {
                NewKey read = keys.create(List.of(CLUSTER_ID), Set.of(Scope.READ), Instant.now());
                printPage(endpoint, read);
                awaitCtrlC(tidy);
            } else {
                printNextSteps();
            }
            return code;
        } finally {
            deleteTree(work);
            tidy.countDown();
        }
    }

    /**
     * Waits for Ctrl-C (or any signal that ends the JVM). The JVM halts as soon as its shutdown
     * hooks end, so the hook waits for {@code tidy}: until the demo has closed its parts and
     * deleted its folder, which would otherwise be left behind.
     */
    private static void awaitCtrlC(CountDownLatch tidy) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "demo-stopped"));
        installTidyHook(tidy);
        stopped.await();
    }

    /** At exit (Ctrl-C), the JVM waits for {@code tidy}: the demo's parts closed and its folder deleted. */
    private static void installTidyHook(CountDownLatch tidy) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                tidy.await(TIDY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-shutdown"));
    }

    private void printPage(String endpoint, NewKey read) {
        out.println();
        out.println("Inventory page: " + endpoint + "/");
        out.println("Sign in with access key " + read.accessKey() + " and secret key " + read.secretKey()
                + " (a read-only demo key, valid for this run only).");
        out.println("Running until Ctrl-C.");
    }

    private void printNextSteps() {
        out.println();
        out.println("The test cluster and the receiver stop with the demo. To browse the inventory, run");
        out.println("  bin/k8s-collector demo --keep-running");
        out.println("which prints the inventory page's URL and a key to sign in with, and stays up until Ctrl-C.");
        out.println();
        out.println("Next, on a cluster of yours (README.md, docs/configuration.md):");
        out.println("  bin/k8s-collector check -dry-run -external ~/.kube/config my-cluster");
        out.println("      says what a run would collect and what RBAC would refuse, without collecting;");
        out.println("  bin/k8s-collector -external ~/.kube/config -dry-run my-cluster > snapshot.json");
        out.println("      collects it into a file, sending nothing.");
    }

    /** {@code --version}: the collector's version, which the demo is built with. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"k8s-collector demo " + Version.current()};
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
