package io.k8scollector.collector.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.protocol.HelmRelease;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.Skipped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class HostileReleasesTest {

    private static final KeyedDigest DIGEST = new KeyedDigest("a-hostile-test-key".getBytes(StandardCharsets.UTF_8));

    /** Small limits, so that each hostile payload is refused within a few MiB. */
    private static final HelmLimits SMALL = new HelmLimits(HelmReleases.MAX_INFLATED_BYTES, 40 * 1024 * 1024, 10_000,
            64 * 1024, 1000, 16 * 1024, 16 * 1024);

    @Test
    void treeStopsAtItsNodeBudgetWithoutReadingFurther() {
        EndlessArray input = new EndlessArray();
        BoundedTree tree = new BoundedTree("its values", 10_000, 1024);

        try (JsonParser parser = Json.MAPPER.createParser(input)) {
            parser.nextToken();
            assertThatThrownBy(() -> tree.read(parser)).isInstanceOf(TooLarge.class)
                    .hasMessage("its values: more than 10000 nodes");
        }

        assertThat(tree.nodes()).isEqualTo(10_000);
        // the parser reads ahead one buffer at most
        assertThat(input.read).isLessThan(10_000 * 3 + 64 * 1024);
    }

    @Test
    void treeStopsAtItsCharacterBudget() {
        BoundedTree tree = new BoundedTree("its values", 10_000, 1024);
        try (JsonParser parser = Json.MAPPER.createParser("{\"a\": \"" + "x".repeat(1000) + "\", \"bb\": \"" + "y".repeat(30) + "\"}")) {
            parser.nextToken();
            assertThatThrownBy(() -> tree.read(parser)).isInstanceOf(TooLarge.class)
                    .hasMessage("its values: more than 1024 characters of names and strings");
        }
    }

    @Test
    void treeWithinItsBudgetIsTheTreeJacksonReads() throws TooLarge {
        String json = "{\"b\": [1, -2.5, 1e400, 12345678901234567890, true, null, \"\u00e9\ud83d\ude00\"], \"a\": {\"x\": {}, \"x\": []},"
                + " \"c\": 9007199254740993}";
        try (JsonParser parser = Json.MAPPER.createParser(json)) {
            parser.nextToken();
            JsonNode tree = new BoundedTree("its values", 100, 100).read(parser);

            assertThat(tree).isEqualTo(Json.MAPPER.readTree(json));
            assertThat(DIGEST.ofJson(tree)).isEqualTo(DIGEST.ofJson(Json.MAPPER.readTree(json)));
        }
    }

    @Test
    void skipsReleasesWhoseValuesOrManifestWouldTakeMoreThanTheLimitsAsTooLarge() {
        HelmReleases releases = new HelmReleases(DIGEST, SMALL);
        ObjectNode longNames = HelmStorage.release("long-names", "prod", 1, "deployed", "1.0.0", "{}",
                ("kind: ConfigMap\nmetadata:\n  name: " + "n".repeat(2000) + "\n---\n").repeat(10));

        releases.observe(HostileReleases.tinyValues(1_000_000));
        releases.observe(HostileReleases.tinyDocuments(1_000_000));
        releases.observe(HostileReleases.flowList(100_000));
        releases.observe(HelmStorage.secret(longNames));
        ObjectNode longDescription = HelmStorage.release("long-description", "prod", 1, "deployed", "1.0.0", "{}", "");
        longDescription.withObject("info").put("description", "d".repeat(20_000));
        releases.observe(HelmStorage.secret(longDescription));
        releases.observe(HelmStorage.secret(HelmStorage.release("small", "prod", 1, "deployed", "1.0.0",
                "{\"a\": [{}, {}]}", "kind: ConfigMap\nmetadata:\n  name: small\n")));

        assertThat(releases.releases()).extracting(HelmRelease::name).containsExactly("small");
        assertThat(releases.skipped()).extracting(Skipped::name, Skipped::reason, Skipped::message).containsExactly(
                tuple("prod/flow-list", "too-large", "Helm release storage secret prod/sh.helm.release.v1.flow-list.v1"
                        + " is over the collector's limits (a document of its manifest: more than 10000 nodes)."),
                tuple("prod/long-description", "too-large", "Helm release storage secret"
                        + " prod/sh.helm.release.v1.long-description.v1 is over the collector's limits"
                        + " (its name, status, description and chart: more than 16384 characters)."),
                tuple("prod/long-names", "too-large", "Helm release storage secret prod/sh.helm.release.v1.long-names.v1"
                        + " is over the collector's limits (its manifest: more than 16384 characters of resource references)."),
                tuple("prod/tiny-documents", "too-large", "Helm release storage secret prod/sh.helm.release.v1.tiny-documents.v1"
                        + " is over the collector's limits (its manifest: more than 1000 resources)."),
                tuple("prod/tiny-values", "too-large", "Helm release storage secret prod/sh.helm.release.v1.tiny-values.v1"
                        + " is over the collector's limits (its values: more than 10000 nodes)."));
    }

    @Test
    void refusesAStringLongerThanTheLimitAsUnparseable() {
        HelmReleases releases = new HelmReleases(DIGEST, new HelmLimits(HelmReleases.MAX_INFLATED_BYTES, 1024 * 1024,
                10_000, 64 * 1024, 1000, 16 * 1024, 16 * 1024));

        releases.observe(HostileReleases.longValue(2 * 1024 * 1024));

        assertThat(releases.skipped()).extracting(Skipped::name, Skipped::reason)
                .containsExactly(tuple("prod/long-value", "unparseable"));
    }

    /**
     * Each hostile payload inflates to nearly 64 MiB or holds a million small things: a decoder
     * holding what it reads needs gigabytes for them; within the default limits a heap of 64 MiB
     * reads them all, one after the other.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theDefaultLimitsReadEveryHostilePayloadInA64MibHeap() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                HostileReleases.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> lines;
        try (InputStream out = process.getInputStream()) {
            lines = new String(out.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }

        assertThat(process.waitFor()).isZero();
        assertThat(lines).extracting(line -> line.substring(0, line.indexOf(" Helm ") < 0 ? line.length() : line.indexOf(" Helm ")))
                .containsExactly("prod/flow-list too-large", "prod/long-value unparseable", "prod/tiny-documents too-large",
                        "prod/tiny-values too-large", "prod/small read");
    }

    /** {@code [{},{},...} without end, counting the bytes read from it. */
    private static final class EndlessArray extends InputStream {
        long read;

        @Override
        public int read() {
            return read++ == 0 ? '[' : "{},".charAt((int) ((read - 2) % 3));
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            for (int i = 0; i < length; i++) {
                buffer[offset + i] = (byte) read();
            }
            return length;
        }
    }
}
