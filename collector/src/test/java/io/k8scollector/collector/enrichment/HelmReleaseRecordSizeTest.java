package io.k8scollector.collector.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.cli.Main;
import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class HelmReleaseRecordSizeTest {

    @TempDir
    Path dir;

    @Test
    void aReleaseRecordLargerThanMaxItemSizeIsSkippedAsTooLargeAndTheOthersAreSent() throws Exception {
        String manifest = IntStream.range(0, 600)
                .mapToObj(i -> "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a-config-map-with-a-long-name-" + i + "\n")
                .collect(Collectors.joining("---\n"));
        try (TestCluster cluster = TestCluster.start(ClusterSpec.builder().pods(3).seed(3).build())) {
            cluster.store().put(HelmStorage.secret(HelmStorage.release("big", "prod", 1, "deployed", "1.0.0", "{}", manifest)));
            cluster.store().put(HelmStorage.secret(HelmStorage.release("small", "prod", 1, "deployed", "1.0.0", "{}",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: small\n")));
            Path kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
            Path config = Files.createDirectory(dir.resolve("config"));
            Files.writeString(config.resolve("collector.maxItemSizeKb"), "32");
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();

            int code = Main.run(new String[] {"-external", kubeconfig.toString(), "-config=" + config, "-dry-run", "sizes"},
                    Map.of("HOME", dir.toString()), stdout, new PrintStream(stderr, true, StandardCharsets.UTF_8));

            assertThat(code).as(stderr.toString(StandardCharsets.UTF_8)).isZero();
            JsonNode document = Json.MAPPER.readTree(stdout.toByteArray());
            assertThat(document.path("helmReleases")).extracting(release -> release.path("name").asString())
                    .contains("small").doesNotContain("big");
            assertThat(document.path("skipped")).filteredOn(entry -> entry.path("recordKind").asString("").equals("helmRelease"))
                    .singleElement().satisfies(entry -> {
                        assertThat(entry.path("kind").asString()).isEqualTo("record");
                        assertThat(entry.path("name").asString()).isEqualTo("prod/big");
                        assertThat(entry.path("reason").asString()).isEqualTo("too-large");
                        assertThat(entry.path("message").asString()).endsWith(" KiB is over collector.maxItemSizeKb (32).");
                    });
        }
    }
}
