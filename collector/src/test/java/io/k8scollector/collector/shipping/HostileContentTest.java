package io.k8scollector.collector.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import io.k8scollector.testkit.catalog.TypeKey;
import io.k8scollector.testkit.ingest.IngestEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole collector against a cluster where tenants wrote hostile content: an ownership chain
 * of 250 objects, a Helm release whose small gzip inflates past 64 MiB, objects nested 2000
 * levels deep or holding a number of 5000 digits, and Helm's ConfigMap storage answering 500 to
 * every list. The run still commits, with each of them reported and everything else collected.
 */
class HostileContentTest {

    private static final int CHAIN = 250;
    private static final int DEPTH = 2000;

    @TempDir
    static Path dir;

    private static TestCluster cluster;
    private static IngestEndpoint endpoint;
    private static int exitCode;
    private static String errors;
    private static final Set<String> hostileUids = new HashSet<>();

    @BeforeAll
    static void collectTheHostileCluster() throws Exception {
        cluster = TestCluster.start(ClusterSpec.builder().pods(30).seed(5).build());
        for (int i = 0; i < CHAIN; i++) {
            ObjectNode account = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "ServiceAccount");
            ObjectNode metadata = account.putObject("metadata").put("name", "link-" + i).put("namespace", "chain")
                    .put("uid", chainUid(i));
            if (i > 0) {
                metadata.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "ServiceAccount")
                        .put("name", "link-" + (i - 1)).put("uid", chainUid(i - 1)).put("controller", true);
            }
            cluster.store().put(account);
        }
        plantRaw("pods", "deep-pod", "\"spec\":" + "[".repeat(DEPTH) + "]".repeat(DEPTH));
        plantRaw("pods", "huge-number", "\"spec\":{\"priority\":" + "9".repeat(5000) + "}");
        plantRaw("secrets", "deep-secret", "\"type\":\"Opaque\",\"data\":" + "[".repeat(DEPTH) + "]".repeat(DEPTH));
        cluster.store().put(helmBomb());
        cluster.faults().failAlways("", "configmaps", 500);

        endpoint = new IngestEndpoint();
        // Two attempts: the storage that keeps answering 500 is given up after one real wait of
        // at most 500 ms, not after the default eight (half a minute of backoff).
        CommandLineRun run = CommandLineRun.collect(cluster, endpoint, dir, "hostile",
                Map.of("collector.retry.maxAttempts", "2"));
        exitCode = run.exitCode();
        errors = run.errors();
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        cluster.close();
    }

    @Test
    void theRunCommitsWithEveryOtherObjectOfTheHostileTypes() {
        assertThat(exitCode).as(errors).isZero();
        assertThat(endpoint.commits()).hasSize(1);
        Set<String> sent = endpoint.uids(fetchingId());
        Set<String> pods = new HashSet<>(cluster.store().uids("", "pods"));
        Set<String> secrets = new HashSet<>(cluster.store().uids("", "secrets"));
        pods.removeAll(hostileUids);
        secrets.removeAll(hostileUids);
        assertThat(pods).hasSizeGreaterThan(20);
        assertThat(sent).containsAll(pods).containsAll(secrets).doesNotContainAnyElementsOf(hostileUids);
    }

    @Test
    void eachRefusedObjectIsSkippedAloneAsUnparseable() {
        assertThat(skipped()).filteredOn(entry -> entry.path("reason").asString().equals("unparseable"))
                .extracting(entry -> entry.path("kind").asString() + " " + entry.path("resource").asString() + " "
                        + entry.path("namespace").asString() + "/" + entry.path("name").asString())
                .containsExactlyInAnyOrder("object pods hostile/deep-pod", "object pods hostile/huge-number",
                        "object secrets hostile/deep-secret");
    }

    @Test
    void unreadableHelmStorageAndTheBombAreReportedAsHelmReleaseRecords() {
        assertThat(skipped()).filteredOn(entry -> entry.path("recordKind").asString().equals("helmRelease"))
                .extracting(entry -> entry.path("source").asString("") + "|" + entry.path("storage").asString("") + "|"
                        + entry.path("name").asString("") + "|" + entry.path("reason").asString())
                .containsExactlyInAnyOrder("helm|configmap||failed", "||prod/bomb|too-large");
        assertThat(records("helmReleases")).extracting(release -> release.path("name").asString()).doesNotContain("bomb");
    }

    @Test
    void theOwnershipChainIsCutAtTwoHundredLevelsAndTheCutReported() {
        JsonNode chain = records("trees").stream()
                .filter(tree -> tree.path("name").asString().equals("link-0")).findFirst().orElseThrow();
        int levels = 1;
        for (JsonNode node = chain; node.path("children").size() > 0; node = node.path("children").get(0)) {
            levels++;
        }
        assertThat(levels).isEqualTo(200);
        assertThat(errors).contains("Ownership trees deeper than 200 levels were cut there: " + (CHAIN - 200) + " node(s)");
        assertThat(endpoint.uids(fetchingId())).contains(chainUid(CHAIN - 1));
    }

    @Test
    void theCommitNamesTheRedactionKeyOfTheUsersKeyFile() throws Exception {
        byte[] key = Files.readAllBytes(dir.resolve(".config/k8s-collector/redaction.key"));
        String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key)).substring(0, 8);

        assertThat(endpoint.commits().get(0).at("/report/redactionKeyId").asString()).isEqualTo(id);
    }

    private static List<JsonNode> skipped() {
        List<JsonNode> entries = new ArrayList<>();
        endpoint.commits().get(0).path("skipped").forEach(entries::add);
        return entries;
    }

    private static String fetchingId() {
        return endpoint.bodies().stream().map(Json.MAPPER::readTree).filter(body -> body.has("fetchingId"))
                .findFirst().orElseThrow().get("fetchingId").asString();
    }

    private static List<JsonNode> records(String field) {
        List<JsonNode> records = new ArrayList<>();
        for (byte[] body : endpoint.bodies()) {
            Json.MAPPER.readTree(body).path(field).forEach(records::add);
        }
        return records;
    }

    private static String chainUid(int link) {
        return UUID.nameUUIDFromBytes(("link-" + link).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** An object the server serves as written, which no JSON library would write. */
    private static void plantRaw(String resource, String name, String rest) {
        String uid = UUID.randomUUID().toString();
        hostileUids.add(uid);
        String body = "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"hostile\",\"uid\":\"" + uid + "\"}," + rest + "}";
        cluster.store().putRaw(new TypeKey("", resource), "hostile", name, uid, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A Helm release Secret of about 120 KB whose release JSON inflates to 65 MiB (mostly blanks). */
    private static ObjectNode helmBomb() throws IOException {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write("{\"name\":\"bomb\",\"namespace\":\"prod\",\"version\":1,".getBytes(StandardCharsets.UTF_8));
            byte[] blanks = " ".repeat(1024 * 1024).getBytes(StandardCharsets.UTF_8);
            for (int mib = 0; mib < 65; mib++) {
                gzip.write(blanks);
            }
            gzip.write("\"info\":{\"status\":\"deployed\"}}".getBytes(StandardCharsets.UTF_8));
        }
        String helm = Base64.getEncoder().encodeToString(gzipped.toByteArray());
        ObjectNode secret = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Secret")
                .put("type", "helm.sh/release.v1");
        secret.putObject("metadata").put("name", "sh.helm.release.v1.bomb.v1").put("namespace", "prod")
                .putObject("labels").put("owner", "helm").put("name", "bomb").put("version", "1").put("status", "deployed");
        secret.putObject("data").put("release",
                Base64.getEncoder().encodeToString(helm.getBytes(StandardCharsets.US_ASCII)));
        return secret;
    }
}
