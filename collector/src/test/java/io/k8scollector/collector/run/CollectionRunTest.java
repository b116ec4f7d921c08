package io.k8scollector.collector.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.ConnectedCluster;
import io.k8scollector.collector.config.CollectorConfig;
import io.k8scollector.collector.config.CommandLineFlags;
import io.k8scollector.collector.shipping.DryRunSink;
import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.ClusterSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A {@link CollectionRun} itself, not through the command line, into a dry-run document, against
 * the test cluster (which holds Helm releases in Secrets and in ConfigMaps).
 */
class CollectionRunTest {

    @RegisterExtension
    static final ConnectedCluster connected = new ConnectedCluster(ClusterSpec.builder().pods(80).seed(3).build());

    @TempDir
    Path dir;

    private CollectorConfig config(Map<String, String> keys) throws Exception {
        Path configDir = Files.createDirectory(dir.resolve("config-" + keys.hashCode()));
        for (Map.Entry<String, String> key : keys.entrySet()) {
            Files.writeString(configDir.resolve(key.getKey()), key.getValue());
        }
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
        Map<String, String> env = new HashMap<>(Map.of("HOME", dir.toString()));
        return CollectorConfig.from(new CommandLineFlags(kubeconfig, configDir, false, true, "run-test", null), env);
    }

    /** Runs {@code runs} times with one CollectionRun and one sink; one document per run. */
    private static List<JsonNode> collect(CollectorConfig config, int runs, List<RunReport> reports) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DryRunSink sink = new DryRunSink(out)) {
            CollectionRun run = new CollectionRun(config, connected.server(), sink, Clock.systemUTC());
            for (int i = 0; i < runs; i++) {
                reports.add(run.run());
            }
        }
        List<JsonNode> documents = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            documents.add(Json.MAPPER.readTree(line));
        }
        return documents;
    }

    @Test
    void aSecondRunReportsAndSendsWhatTheFirstDidWithoutCountingAnythingTwice() throws Exception {
        List<RunReport> reports = new ArrayList<>();
        List<JsonNode> documents = collect(config(Map.of()), 2, reports);

        assertThat(documents).hasSize(2);
        assertThat(reports.get(0).counts().objects()).isGreaterThan(80);
        assertThat(reports.get(0).counts().helmReleases()).isPositive();
        assertThat(reports.get(1).counts()).isEqualTo(reports.get(0).counts());
        assertThat(reports.get(1).skipped()).isEqualTo(reports.get(0).skipped());
        assertThat(reports.get(1).fetchingId()).isNotEqualTo(reports.get(0).fetchingId());
        assertThat(documents.get(1).path("helmReleases")).isEqualTo(documents.get(0).path("helmReleases"));
        assertThat(documents.get(1).path("trees")).hasSameSizeAs(documents.get(0).path("trees"));
        assertThat(documents.get(1).path("objects")).hasSameSizeAs(documents.get(0).path("objects"));
    }

    @Test
    void readsHelmsStorageInFullUnderALabelSelectorAndSendsOnlyTheSelectedObjects() throws Exception {
        JsonNode everything = collect(config(Map.of()), 1, new ArrayList<>()).get(0);
        JsonNode selected = collect(config(Map.of("collector.labelSelector", "tier=data")), 1, new ArrayList<>()).get(0);

        // Argo CD's releases are Applications, objects like any other: the selector applies to them
        assertThat(helmsReleases(everything)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(helmsReleases(selected)).isEqualTo(helmsReleases(everything));
        assertThat(selected.path("objects")).isNotEmpty().allSatisfy(object ->
                assertThat(object.path("metadata").path("labels").path("tier").asString()).isEqualTo("data"));
        assertThat(selected.path("skipped")).noneSatisfy(entry ->
                assertThat(entry.path("source").asString()).isEqualTo("helm"));
    }

    /** The records of the releases read from Helm's own storage, in the order sent. */
    private static List<JsonNode> helmsReleases(JsonNode document) {
        List<JsonNode> releases = new ArrayList<>();
        document.path("helmReleases").forEach(release -> {
            if (release.path("source").asString().equals("helm")) {
                releases.add(release);
            }
        });
        return releases;
    }
}
