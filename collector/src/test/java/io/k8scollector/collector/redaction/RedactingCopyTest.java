package io.k8scollector.collector.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.ConnectedCluster;
import io.k8scollector.collector.PlantedSecrets;
import io.k8scollector.collector.config.CollectorConfig.Selection;
import io.k8scollector.collector.config.ConfigSource;
import io.k8scollector.collector.config.KubeAccess;
import io.k8scollector.collector.config.RedactionSettings;
import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.collector.discovery.RequestRate;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.discovery.TypeDiscovery;
import io.k8scollector.collector.discovery.TypeSelection;
import io.k8scollector.collector.listing.ItemReader;
import io.k8scollector.collector.listing.ItemSource;
import io.k8scollector.collector.listing.ListedObject;
import io.k8scollector.collector.listing.ObjectView;
import io.k8scollector.collector.listing.TypeLister;
import io.k8scollector.collector.retry.FakeTime;
import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.ClusterSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The redacting copy against the tree steps, on every object of every type of the test cluster
 * that the copy takes (the planted secrets of {@link PlantedSecrets} among them): the same record,
 * byte for byte once parsed, and a head that is the object's apiVersion, kind and metadata without
 * its annotations.
 */
class RedactingCopyTest {

    private static final Selection EVERYTHING = new Selection(List.of(), Map.of(), List.of(), null, Set.of(), null);

    @RegisterExtension
    static final ConnectedCluster connected = new ConnectedCluster(ClusterSpec.builder().pods(150).seed(11).build());

    private static List<ResourceType> types;

    private final Redactor redactor = Redactor.from(RedactionSettings.from(ConfigSource.of(Map.of(
                    RedactionSettings.REDACT_ANNOTATIONS, "deployment.kubernetes.io/revision")),
            Map.of("REDACTION_KEY", "a-fixed-key-for-this-test"), KubeAccess.inCluster(), false));

    private static final PlantedSecrets PLANTED = PlantedSecrets.plant();

    @BeforeAll
    static void discover() {
        PLANTED.definitions().forEach(connected.cluster().store()::put);
        PLANTED.objects().forEach(planted -> connected.cluster().store().put(planted.object()));
        types = new TypeDiscovery(connected.server(), TypeSelection.of(EVERYTHING), new RequestRate(1000), new FakeTime().retrier()).discover().served().stream()
                .filter(ResourceType::listable)
                .toList();
    }

    @Test
    void writesTheRecordsTheTreeStepsWriteForEveryTypeItTakes() {
        List<ResourceType> copied = types.stream().filter(type -> redactor.view(type) == ObjectView.HEAD).toList();
        assertThat(copied).extracting(ResourceType::resource)
                .contains("pods", "deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "cronjobs", "services",
                        "nodes")
                .doesNotContain("secrets", "configmaps", "controllerrevisions", "runners");
        int compared = 0;
        for (ResourceType type : copied) {
            Map<String, ObjectNode> expected = new HashMap<>();
            list(type, ItemReader.TREE).forEach(listed -> {
                ObjectNode object = ((ListedObject.Whole) listed).object();
                redactor.redact(type, object);
                expected.put(uid(object), object);
            });
            List<ListedObject> actual = list(type, redactor.copy());
            assertThat(actual).as(type.qualifiedName()).hasSameSizeAs(expected.values());
            for (ListedObject listed : actual) {
                JsonNode record = Json.MAPPER.readTree(((ListedObject.Copied) listed).record());
                ObjectNode tree = expected.get(uid(record));
                assertThat(record).as(type.qualifiedName() + " " + uid(record)).isEqualTo(tree);
                ObjectNode metadata = ((ObjectNode) tree.get("metadata")).deepCopy();
                metadata.remove("annotations");
                assertThat(listed.head()).isEqualTo(Json.MAPPER.createObjectNode()
                        .put("apiVersion", type.apiVersion())
                        .put("kind", type.kind())
                        .set("metadata", metadata));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(300);
    }

    @Test
    void redactsWhatTheTreeStepsRedactInPods() {
        ResourceType pods = types.stream().filter(type -> type.resource().equals("pods") && type.group().isEmpty())
                .findFirst().orElseThrow();

        List<String> records = list(pods, redactor.copy()).stream()
                .map(listed -> new String(((ListedObject.Copied) listed).record(), StandardCharsets.UTF_8))
                .toList();

        assertThat(records).isNotEmpty().allSatisfy(record -> assertThat(record)
                .doesNotContain("managedFields", "last-applied-configuration"));
        assertThat(records).anySatisfy(record -> assertThat(record)
                .contains("{\"name\":\"DB_PASSWORD\",\"value\":\"" + KeyedDigest.PREFIX)
                .contains("--db-password=" + KeyedDigest.PREFIX));
    }

    @Test
    void leavesNoPlantedValueInTheRecordsItCopies() {
        StringBuilder records = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (ResourceType type : types.stream().filter(type -> redactor.view(type) == ObjectView.HEAD).toList()) {
            for (ListedObject listed : list(type, redactor.copy())) {
                records.append(new String(((ListedObject.Copied) listed).record(), StandardCharsets.UTF_8)).append('\n');
                names.add(listed.head().path("metadata").path("name").asString());
            }
        }

        assertThat(names).contains("planted-api", "planted-web", "planted-db", "planted-nightly");
        assertThat(PLANTED.leaksIn(records.toString())).isEmpty();
        assertThat(records.toString()).contains("PGPASSWORD=" + KeyedDigest.PREFIX).contains("\"value\":\"" + KeyedDigest.PREFIX);
    }

    /**
     * What no step redacts is copied as its bytes where the generator would write the same ones;
     * white space, escapes, floats, {@code -0} and text outside ASCII come out as the generator
     * writes them, so that the record is the same bytes either way.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"phase\":\"Running\",\"podIPs\":[{\"ip\":\"10.0.0.1\"}],\"restartCount\":3,\"ready\":true}",
        "{ \"phase\" : \"Running\" ,\n \"ips\": [ 1, 2 ] }",
        "{\"ratio\":1.50,\"big\":1e3,\"zero\":-0,\"list\":[2.0E1,{\"x\":-0.0}]}",
        "{\"message\":\"\\u003cb\\u003e \\\"quoted\\\" caf\u00e9\",\"caf\u00e9\":{\"k\":\"\\/\"}}",
    })
    void copiesWhatNoStepRedactsAsTheGeneratorWritesIt(String status) throws Exception {
        ResourceType pods = new ResourceType("", "v1", "Pod", "pods", true, List.of("get", "list"));
        String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"uid\":\"u-1\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"app:1\",\"ports\":[{\"containerPort\":80}],"
                + "\"livenessProbe\":{\"httpGet\":{\"path\":\"/ok\",\"port\":80},\"periodSeconds\":1.5},"
                + "\"readinessProbe\":{\"tcpSocket\":{\"port\":80}}}],\"nodeName\":\"n 1\",\"priority\":-0},"
                + "\"status\":" + status + "}";
        byte[] listed = ("[" + pod + "]").getBytes(StandardCharsets.UTF_8);

        byte[] record;
        try (JsonParser parser = Json.MAPPER.createParser(listed, 1, listed.length - 2)) {
            parser.nextToken();
            record = ((ListedObject.Copied) redactor.copy().read(pods, parser, new ItemSource(listed, 1))).record();
        }

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (JsonParser parser = Json.MAPPER.createParser(pod); JsonGenerator generator = Json.MAPPER.createGenerator(expected)) {
            parser.nextToken();
            generator.copyCurrentStructure(parser);
        }
        assertThat(new String(record, StandardCharsets.UTF_8)).isEqualTo(expected.toString(StandardCharsets.UTF_8));
    }

    private static List<ListedObject> list(ResourceType type, ItemReader reader) {
        List<ListedObject> listed = new ArrayList<>();
        new TypeLister(connected.server(), EVERYTHING, 40, new RequestRate(1000), new FakeTime().retrier()).list(type, reader, listed::add);
        return listed;
    }

    /** The uid, or namespace and name for the objects that have none (live metrics). */
    private static String uid(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        return metadata.path("uid").asString(metadata.path("namespace").asString("") + "/" + metadata.path("name").asString());
    }
}
