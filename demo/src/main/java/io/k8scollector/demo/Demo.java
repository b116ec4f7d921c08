package io.k8scollector.demo;

import io.k8scollector.collector.cli.Main;
import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/k8s-collector demo}: starts the test cluster on this machine, runs a dry-run
 * collection against it through the collector's own command line, and prints the run summary.
 * The collected document goes to a file ({@code --output}) or is discarded. Kept out of the
 * collector's jar so that the collector's image ships only the collector.
 */
@Command(name = "k8s-collector demo", mixinStandardHelpOptions = true,
        description = "Test cluster + collector (dry-run), end to end on this machine.")
public final class Demo implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--pods", defaultValue = "1000", description = "Pods in the test cluster (default: ${DEFAULT-VALUE}).")
    int pods;

    @Option(names = "--output", description = "Where to write the dry-run document (default: discarded).")
    Path output;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Demo()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Path work = Files.createTempDirectory("k8s-collector-demo");
        System.out.println("Starting a test cluster with " + pods + " pods...");
        try (TestCluster cluster = TestCluster.start(ClusterSpec.builder().pods(pods).build());
                OutputStream data = output == null ? OutputStream.nullOutputStream() : Files.newOutputStream(output)) {
            Path kubeconfig = cluster.writeKubeconfig(work.resolve("kubeconfig"));
            Path config = Files.createDirectory(work.resolve("config"));
            System.out.println("Test cluster at " + cluster.url() + "; running the collector with -dry-run.");
            int code = Main.run(new String[] {"-external", kubeconfig.toString(), "-config", config.toString(), "-dry-run", "demo-cluster"},
                    Map.of(), data, System.out);
            System.out.println(output == null
                    ? "The collected document was discarded (pass --output FILE to keep it)."
                    : "The collected document is in " + output + ".");
            System.out.println("Collector exit code: " + code);
            return code;
        } finally {
            deleteTree(work);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
