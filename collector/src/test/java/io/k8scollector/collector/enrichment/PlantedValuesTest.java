package io.k8scollector.collector.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.PlantedSecrets;
import io.k8scollector.collector.config.CollectorConfig.Selection;
import io.k8scollector.collector.config.ConfigSource;
import io.k8scollector.collector.config.KubeAccess;
import io.k8scollector.collector.config.RedactionSettings;
import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.listing.ItemSource;
import io.k8scollector.collector.listing.ListedObject;
import io.k8scollector.collector.listing.TypeReading;
import io.k8scollector.collector.redaction.Redactor;
import io.k8scollector.collector.run.ObjectPipeline;
import io.k8scollector.collector.shipping.DryRunSink;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plants known secret values in every place redaction covers (these and {@link PlantedSecrets}'),
 * runs the objects through the run's object pipeline (which copies the types it can and redacts
 * the others as trees; and once more with the tree steps for every type), and looks for the
 * values in any encoding anywhere in what would be sent.
 */
class PlantedValuesTest {

    private static final List<String> PLANTED = IntStream.rangeClosed(1, 14)
            .mapToObj(n -> "Planted-Value-" + n + "-x7Q")
            .toList();

    @ParameterizedTest(name = "through the run's pipeline: {0}")
    @ValueSource(booleans = {true, false})
    void noPlantedValueLeavesInAnyEncoding(boolean throughThePipeline) {
        List<ObjectNode> helmReleases = new ArrayList<>();
        Map<ObjectNode, ResourceType> objects = plantedObjects(helmReleases);
        PlantedSecrets planted = PlantedSecrets.plant();
        planted.objects().forEach(object -> objects.put(object.object(), object.type()));
        // gzip hides what Helm stores, so the control also reads the releases before they were encoded
        String before = Json.MAPPER.writeValueAsString(List.of(List.copyOf(objects.keySet()), helmReleases));
        assertThat(PLANTED).allSatisfy(value -> assertThat(PlantedSecrets.encodingsFoundIn(before, value)).isNotEmpty());
        assertThat(planted.values().values())
                .allSatisfy(value -> assertThat(PlantedSecrets.encodingsFoundIn(before, value)).isNotEmpty());

        String sent = send(objects, throughThePipeline);

        assertThat(PLANTED).allSatisfy(value -> assertThat(PlantedSecrets.encodingsFoundIn(sent, value)).isEmpty());
        assertThat(planted.leaksIn(sent)).isEmpty();
        assertThat(sent).contains("\"helmReleases\"").contains("Deployment").contains("hmac-sha256:")
                .contains("planted-workflow").contains("postgres://app:hmac-sha256:")
                .doesNotContain("\"sha256:");
    }

    /**
     * What would be sent: through the run's own {@link ObjectPipeline} into a dry-run document
     * (which copies where it chooses to), or, as the control, with every object observed, then
     * redacted by the tree steps.
     */
    private static String send(Map<ObjectNode, ResourceType> objects, boolean throughThePipeline) {
        RedactionSettings settings = RedactionSettings.from(
                ConfigSource.of(Map.of(RedactionSettings.VALUES_FIELDS, PlantedSecrets.VALUES_FIELDS)),
                Map.of("REDACTION_KEY", "a-planted-values-test-key"), KubeAccess.inCluster(), false);
        KeyedDigest digest = new KeyedDigest(settings.key());
        HelmReleases helm = new HelmReleases(digest);
        ArgoApplications argo = new ArgoApplications(digest);
        OwnershipTree trees = new OwnershipTree();
        Redactor redactor = Redactor.from(settings);
        List<JsonNode> records = new ArrayList<>();
        List<String> copiedKinds = new ArrayList<>();
        if (throughThePipeline) {
            List<ResourceType> types = List.copyOf(new LinkedHashSet<>(objects.values()));
            HelmStorageReading storage = new HelmStorageReading(helm,
                    types.stream().filter(io.k8scollector.collector.discovery.HelmStorage::holds).toList(), types, UNFILTERED);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DryRunSink sink = new DryRunSink(out);
            sink.open("planted", new FetchingStart(FetchingId.generate(Instant.EPOCH), "uid", false,
                    new FetchingStart.Collector("test"), Instant.EPOCH));
            ObjectPipeline pipeline = new ObjectPipeline(redactor, List.of(storage, argo, trees), 1024, sink);
            objects.forEach((object, type) -> {
                TypeReading reading = pipeline.reading(type);
                byte[] bytes = Json.MAPPER.writeValueAsBytes(object);
                try (JsonParser parser = Json.MAPPER.createParser(bytes)) {
                    parser.nextToken();
                    ListedObject listed = reading.reader().read(type, parser, ItemSource.of(bytes));
                    if (listed instanceof ListedObject.Copied) {
                        copiedKinds.add(type.kind());
                    }
                    reading.consumer().accept(listed);
                }
            });
            sink.commit(List.of(), Instant.EPOCH, new Commit.Report(null));
            Json.MAPPER.readTree(out.toByteArray()).path("objects").forEach(records::add);
            assertThat(records).hasSameSizeAs(objects.keySet());
            // workloads of built-in types are copied; what a tree step or an observer needs whole is not
            assertThat(copiedKinds).contains("Deployment", "Pod", "CronJob")
                    .doesNotContain("Secret", "ConfigMap", "StatefulSet", "Application");
        } else {
            objects.forEach((object, type) -> {
                helm.observe(object);
                argo.observe(object);
                trees.observe(object);
                redactor.redact(type, object);
                records.add(object);
            });
        }
        List<Object> releases = new ArrayList<>(helm.releases());
        releases.addAll(argo.releases());
        assertThat(releases).hasSize(3);
        ObjectNode document = Json.MAPPER.createObjectNode();
        document.set("objects", Json.MAPPER.valueToTree(records));
        document.set("helmReleases", Json.MAPPER.valueToTree(releases));
        document.set("trees", Json.MAPPER.valueToTree(trees.roots()));
        return Json.MAPPER.writeValueAsString(document);
    }

    private static Map<ObjectNode, ResourceType> plantedObjects(List<ObjectNode> helmReleases) {
        Map<ObjectNode, ResourceType> objects = new LinkedHashMap<>();
        objects.put(object("""
                {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                 "metadata": {"name": "db", "namespace": "shop", "uid": "00000000-0000-4000-8000-000000000001",
                   "annotations": {"kubectl.kubernetes.io/last-applied-configuration":
                     "{\\"stringData\\":{\\"password\\":\\"%2$s\\",\\"user\\":\\"%3$s\\"}}"}},
                 "data": {"password": "%1$s"}, "stringData": {"user": "%3$s"}}
                """.formatted(PlantedSecrets.base64(PLANTED.get(1)), PLANTED.get(1), PLANTED.get(2))), type("", "Secret"));
        String podSpec = """
                {"containers": [{"name": "app", "image": "shop:1",
                   "env": [{"name": "DB_PASSWORD", "value": "%s"}],
                   "args": ["--db-password=%s", "--api-key", "%s"]}],
                 "initContainers": [{"name": "init", "command": ["sh", "-c", "migrate --token %s"]}]}
                """.formatted(PLANTED.get(3), PLANTED.get(4), PLANTED.get(5), PLANTED.get(6));
        objects.put(object("""
                {"apiVersion": "apps/v1", "kind": "Deployment",
                 "metadata": {"name": "web", "namespace": "shop", "uid": "00000000-0000-4000-8000-000000000002"},
                 "spec": {"template": {"spec": %s}}}
                """.formatted(podSpec)), type("apps", "Deployment"));
        objects.put(object("""
                {"apiVersion": "batch/v1", "kind": "CronJob",
                 "metadata": {"name": "nightly", "namespace": "shop", "uid": "00000000-0000-4000-8000-000000000003"},
                 "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "job",
                   "env": [{"name": "ACCESS_KEY", "value": "%s"}]}]}}}}}}
                """.formatted(PLANTED.get(7))), type("batch", "CronJob"));
        objects.put(object("""
                {"apiVersion": "example.com/v1", "kind": "Runner",
                 "metadata": {"name": "r", "namespace": "shop", "uid": "00000000-0000-4000-8000-000000000004"},
                 "spec": {"pool": {"podSpec": {"containers": [{"name": "c",
                   "env": [{"name": "Private_Key", "value": "%s"}]}]}}}}
                """.formatted(PLANTED.get(8))), type("example.com", "Runner"));
        String values = "{\"db\": {\"password\": \"" + PLANTED.get(9) + "\"}}";
        String manifest = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: shop-db\nstringData:\n  password: "
                + PLANTED.get(9) + "\n";
        helmReleases.add(HelmStorage.release("shop", "shop", 1, "deployed", "1.0.0", values, manifest));
        helmReleases.add(HelmStorage.release(
                "cache", "shop", 2, "deployed", "3.0.0", "{\"auth\": \"" + PLANTED.get(10) + "\"}", ""));
        objects.put(HelmStorage.secret(helmReleases.get(0)), type("", "Secret"));
        objects.put(HelmStorage.configMap(helmReleases.get(1)), type("", "ConfigMap"));
        objects.put(object("""
                {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
                 "metadata": {"name": "shop", "namespace": "argocd", "uid": "00000000-0000-4000-8000-000000000005"},
                 "spec": {"destination": {"namespace": "shop"}, "source": {"chart": "shop", "targetRevision": "1.0.0",
                   "helm": {"values": "password: %s", "valuesObject": {"token": "%s"},
                            "parameters": [{"name": "apiKey", "value": "%s"}]}}},
                 "status": {"sourceType": "Helm", "history": [{"id": 1, "deployedAt": "2026-11-26T09:30:00Z",
                   "source": {"helm": {"values": "password: %1$s"}}}]}}
                """.formatted(PLANTED.get(11), PLANTED.get(12), PLANTED.get(13))), type("argoproj.io", "Application"));
        objects.put(object("""
                {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
                 "metadata": {"name": "tls", "namespace": "shop", "uid": "00000000-0000-4000-8000-000000000006"},
                 "data": {"tls.key": "%s"}}
                """.formatted(PlantedSecrets.base64(PlantedSecrets.base64(PLANTED.get(0))))), type("", "Secret"));
        return objects;
    }

    private static final Selection UNFILTERED = new Selection(List.of(), Map.of(), List.of(), null, Set.of(), null);

    private static ResourceType type(String group, String kind) {
        return new ResourceType(group, "v1", kind, kind.toLowerCase() + "s", true, List.of("list"));
    }

    private static ObjectNode object(String json) {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }
}
