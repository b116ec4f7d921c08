package io.k8scollector.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.PlantedSecrets;
import io.k8scollector.collector.config.RedactionSettings;
import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The planted secrets served by the test cluster, built-in and custom kinds alike, collected by the
 * command line's dry-run with the default selection: every planted object is in the output and no
 * planted value is, in any encoding, in the output or in the log.
 */
class PlantedSecretsEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void noPlantedValueLeavesTheDryRunInAnyEncoding() throws Exception {
        PlantedSecrets planted = PlantedSecrets.plant();
        try (TestCluster cluster = TestCluster.start(ClusterSpec.builder().pods(30).namespaces(2).seed(5).build())) {
            planted.definitions().forEach(cluster.store()::put);
            planted.objects().forEach(object -> cluster.store().put(object.object()));
            Path kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
            Path config = Files.createDirectory(dir.resolve("config"));
            Files.writeString(config.resolve(RedactionSettings.VALUES_FIELDS), PlantedSecrets.VALUES_FIELDS + "\n");
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();

            int code = Main.run(new String[] {"-external", kubeconfig.toString(), "-config=" + config, "-dry-run", "e2e"},
                    Map.of("REDACTION_KEY", "an-end-to-end-redaction-key"), stdout,
                    new PrintStream(stderr, true, StandardCharsets.UTF_8));

            String output = stdout.toString(StandardCharsets.UTF_8);
            String log = stderr.toString(StandardCharsets.UTF_8);
            assertThat(code).as(log).isZero();
            List<String> names = new ArrayList<>();
            for (JsonNode object : Json.MAPPER.readTree(output).path("objects")) {
                names.add(object.path("metadata").path("name").asString());
            }
            assertThat(names).containsAll(planted.objects().stream()
                    .map(object -> object.object().path("metadata").path("name").asString())
                    .toList());
            assertThat(planted.leaksIn(output)).isEmpty();
            assertThat(planted.leaksIn(log)).isEmpty();
            assertThat(output).contains("postgres://app:hmac-sha256:").contains("\"values\":\"hmac-sha256:");
        }
    }
}
