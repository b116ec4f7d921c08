package io.k8scollector.collector.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import io.k8scollector.testkit.catalog.TypeKey;
import io.k8scollector.testkit.store.StoredObject;
import io.k8scollector.testkit.ingest.IngestEndpoint;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole collector, through its command line, from the test cluster into an ingest endpoint
 * that keeps every body it receives: the snapshot commits with every kind of record, and none of
 * the cluster's secret values leaves in any encoding.
 */
class SnapshotIntoEndpointTest {

    private static final Pattern FAKE_SECRET = Pattern.compile("fake-[0-9a-z]{16}");
    private static final String PLANTED = "planted-in-last-applied-7f3a";

    @TempDir
    static Path dir;

    private static TestCluster cluster;
    private static IngestEndpoint endpoint;
    private static int exitCode;
    private static String errors;

    @BeforeAll
    static void collectIntoTheEndpoint() throws Exception {
        cluster = TestCluster.start(ClusterSpec.builder().pods(60).seed(7).build());
        ObjectNode deployment = (ObjectNode) Json.MAPPER.readTree(cluster.store().type(new TypeKey("apps", "deployments"))
                .all().get(0).body());
        deployment.put("apiVersion", "apps/v1").put("kind", "Deployment");
        ((ObjectNode) deployment.get("metadata")).putObject("annotations")
                .put("kubectl.kubernetes.io/last-applied-configuration", "{\"env\":\"" + PLANTED + "\"}");
        cluster.store().put(deployment);
        endpoint = new IngestEndpoint();
        CommandLineRun run = CommandLineRun.collect(cluster, endpoint, dir, "e2e");
        exitCode = run.exitCode();
        errors = run.errors();
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        cluster.close();
    }

    @Test
    void commitsEveryKindOfRecordAndExitsZero() {
        assertThat(exitCode).as(errors).isZero();
        assertThat(endpoint.commits()).hasSize(1);
        JsonNode counts = endpoint.commits().get(0).get("counts");
        String fetchingId = startedFetchingId();
        assertThat(counts.get("objects").asLong()).isEqualTo(endpoint.stored(fetchingId, RecordKind.OBJECTS).size())
                .isGreaterThan(60);
        assertThat(endpoint.uids(fetchingId))
                .containsAll(cluster.store().uids("", "pods"))
                .containsAll(cluster.store().uids("", "secrets"));
        assertThat(counts.get("helmReleases").asLong()).isPositive();
        assertThat(counts.get("types").asLong()).isPositive();
        assertThat(counts.get("trees").asLong()).isPositive();
        assertThat(endpoint.pages()).allSatisfy(page -> {
            assertThat(page.encoding()).isEqualTo("gzip");
            assertThat(page.plainSize()).isLessThanOrEqualTo(64 * 1024);
        });
        assertThat(errors).contains("Records: ").contains("Helm releases");
    }

    @Test
    void treesCarryReferencesOnlyAndChainDeploymentsToPods() {
        List<JsonNode> trees = records("trees");
        assertThat(trees).isNotEmpty();
        List<String> chains = new ArrayList<>();
        for (JsonNode deployment : trees) {
            for (JsonNode replicaSet : deployment.path("children")) {
                for (JsonNode pod : replicaSet.path("children")) {
                    chains.add(deployment.path("kind").asString() + ">" + replicaSet.path("kind").asString() + ">"
                            + pod.path("kind").asString());
                }
            }
        }
        assertThat(chains).contains("Deployment>ReplicaSet>Pod");
        assertThat(trees.toString()).doesNotContain("\"spec\"").doesNotContain("\"metadata\"");
    }

    @Test
    void noSecretValueOfTheClusterLeavesInAnyEncoding() {
        Set<String> planted = plantedValues();
        assertThat(planted).hasSizeGreaterThan(10).contains(PLANTED);
        String sent = new String(concat(endpoint.bodies()), StandardCharsets.UTF_8);
        assertThat(sent).contains("hmac-sha256:");
        for (String value : planted) {
            for (String form : encodings(value)) {
                assertThat(sent).as("planted value %s as %s", value, form).doesNotContain(form);
            }
        }
    }

    private static Set<String> plantedValues() {
        Set<String> values = new HashSet<>();
        values.add(PLANTED);
        for (TypeKey type : List.of(new TypeKey("", "pods"), new TypeKey("", "secrets"))) {
            for (StoredObject object : cluster.store().type(type).all()) {
                String body = new String(object.body(), StandardCharsets.UTF_8);
                collect(body, values);
                JsonNode data = Json.MAPPER.readTree(object.body()).path("data");
                for (JsonNode value : data) {
                    collect(new String(Base64.getDecoder().decode(value.asString()), StandardCharsets.ISO_8859_1), values);
                }
            }
        }
        return values;
    }

    private static void collect(String text, Set<String> into) {
        Matcher matcher = FAKE_SECRET.matcher(text);
        while (matcher.find()) {
            into.add(matcher.group());
        }
    }

    /** The value raw, base64-encoded at each of the three byte alignments, and base64 twice. */
    private static List<String> encodings(String value) {
        List<String> forms = new ArrayList<>(List.of(value));
        Base64.Encoder base64 = Base64.getEncoder();
        for (String prefix : List.of("", "x", "xy")) {
            String encoded = base64.encodeToString((prefix + value).getBytes(StandardCharsets.UTF_8));
            int skip = prefix.isEmpty() ? 0 : 4;
            forms.add(encoded.substring(skip, Math.max(skip, encoded.length() - 4)));
        }
        forms.add(base64.encodeToString(base64.encode(value.getBytes(StandardCharsets.UTF_8))));
        return forms;
    }

    private static List<JsonNode> records(String field) {
        List<JsonNode> records = new ArrayList<>();
        for (byte[] body : endpoint.bodies()) {
            JsonNode page = Json.MAPPER.readTree(body);
            page.path(field).forEach(records::add);
        }
        return records;
    }

    private static String startedFetchingId() {
        for (byte[] body : endpoint.bodies()) {
            JsonNode json = Json.MAPPER.readTree(body);
            if (json.has("fetchingId")) {
                return json.get("fetchingId").asString();
            }
        }
        throw new AssertionError("no fetching was started");
    }

    private static byte[] concat(List<byte[]> bodies) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] body : bodies) {
            all.writeBytes(body);
            all.write('\n');
        }
        return all.toByteArray();
    }
}
