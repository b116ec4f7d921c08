package io.k8scollector.bench;

import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.collector.enrichment.HelmReleases;
import io.k8scollector.protocol.HelmRelease;
import io.k8scollector.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Helm release decoder over one Secret-stored release of about 1 MB of release JSON (a
 * manifest of 400 documents, 150 chart templates, user values), stored as Helm stores it: gzip,
 * base64, and base64 again on the Secret's wire. One operation decodes one release to its record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HelmDecoderBenchmark {

    private final KeyedDigest digest = new KeyedDigest("a-benchmark-redaction-key".getBytes(StandardCharsets.UTF_8));
    private ObjectNode secret;

    @Setup
    public void setUp() {
        ObjectNode release = release();
        byte[] json = Json.MAPPER.writeValueAsBytes(release);
        if (json.length < 900_000) {
            throw new IllegalStateException("the release is " + json.length + " bytes, not about 1 MB");
        }
        String helmEncoded = Base64.getEncoder().encodeToString(gzip(json));
        secret = Json.MAPPER.createObjectNode();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        secret.put("type", "helm.sh/release.v1");
        secret.putObject("metadata").put("name", "sh.helm.release.v1.big.v3").put("namespace", "prod")
                .putObject("labels").put("owner", "helm").put("name", "big");
        secret.putObject("data").put("release",
                Base64.getEncoder().encodeToString(helmEncoded.getBytes(StandardCharsets.US_ASCII)));
    }

    @Benchmark
    public List<HelmRelease> decodeRelease() {
        HelmReleases releases = new HelmReleases(digest);
        releases.observe(secret);
        return releases.releases();
    }

    private static ObjectNode release() {
        Random random = new Random(42);
        ObjectNode release = Json.MAPPER.createObjectNode();
        release.put("name", "big");
        release.putObject("info").put("first_deployed", "2026-11-01T10:00:00Z").put("last_deployed", "2026-11-27T10:00:00Z")
                .put("status", "deployed").put("description", "Upgrade complete");
        ObjectNode chart = release.putObject("chart");
        chart.putObject("metadata").put("name", "big").put("version", "3.1.4").put("appVersion", "9.2.6");
        for (int i = 0; i < 150; i++) {
            chart.withArray("templates").addObject().put("name", "templates/t" + i + ".yaml")
                    .put("data", Base64.getEncoder().encodeToString(randomText(random, 2000).getBytes(StandardCharsets.UTF_8)));
        }
        ObjectNode config = release.putObject("config");
        for (int i = 0; i < 200; i++) {
            config.putObject("component" + i).put("replicas", i % 5).put("image", "registry.example.com/c" + i + ":1.0")
                    .put("password", randomText(random, 24));
        }
        StringBuilder manifest = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            manifest.append("---\n# Source: big/templates/t").append(i % 150).append(".yaml\n")
                    .append("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: component-").append(i)
                    .append("\n  labels:\n    app: component-").append(i)
                    .append("\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: main\n")
                    .append("          image: registry.example.com/c").append(i).append(":1.0\n")
                    .append("          env:\n            - name: NOTE\n              value: \"")
                    .append(randomText(random, 1200)).append("\"\n");
        }
        release.put("manifest", manifest.toString());
        release.put("version", 3);
        release.put("namespace", "prod");
        return release;
    }

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
