package io.k8scollector.collector.shipping;

import io.k8scollector.collector.cli.Main;
import io.k8scollector.testkit.TestCluster;
import io.k8scollector.testkit.ingest.IngestEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One run of the collector's command line from a test cluster into an {@link IngestEndpoint},
 * with Secrets collected, pages of 64 KiB, and {@code dir} as the home (its user key file).
 */
record CommandLineRun(int exitCode, String errors) {

    static CommandLineRun collect(TestCluster cluster, IngestEndpoint endpoint, Path dir, String clusterId)
            throws IOException {
        return collect(cluster, endpoint, dir, clusterId, Map.of());
    }

    /** The same run with more configuration keys, one file each. */
    static CommandLineRun collect(TestCluster cluster, IngestEndpoint endpoint, Path dir, String clusterId,
            Map<String, String> settings) throws IOException {
        Path config = Files.createDirectory(dir.resolve("config"));
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            Files.writeString(config.resolve(setting.getKey()), setting.getValue());
        }
        Files.writeString(config.resolve("endpoint"), endpoint.uri().toString());
        Files.writeString(config.resolve("collector.resources.secrets"), "true");
        Files.writeString(config.resolve("collector.PageSize"), "64");
        Path kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"-external", kubeconfig.toString(), "-config", config.toString(), clusterId},
                Map.of("INFRALIGHT_ACCESS_KEY", IngestEndpoint.ACCESS_KEY, "INFRALIGHT_SECRET_KEY", IngestEndpoint.SECRET_KEY,
                        "HOME", dir.toString()),
                new ByteArrayOutputStream(), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        return new CommandLineRun(code, stderr.toString(StandardCharsets.UTF_8));
    }
}
