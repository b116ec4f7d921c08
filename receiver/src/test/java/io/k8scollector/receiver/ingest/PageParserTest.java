package io.k8scollector.receiver.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKey;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.TestObjects;
import io.k8scollector.receiver.server.ApiException;
import io.k8scollector.receiver.store.RecordRow;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.node.ObjectNode;

/** The objects of a page: bodies as sent, and the content hash as docs/receiver.md defines it. */
class PageParserTest {

    @Test
    void theBodyIsTheObjectAsSentAndTheContentHashLeavesOutStatusResourceVersionAndManagedFields() {
        ObjectNode object = TestObjects.configMap("u1", "ns", "cm", "web", "v");
        object.putObject("status").put("phase", "Running");
        ((ObjectNode) object.get("metadata")).putArray("managedFields").addObject().put("manager", "kubectl");
        String sent = Json.MAPPER.writeValueAsString(object);

        RecordRow row = single("{\"objects\":[" + sent + "]}");

        assertThat(new String(row.body(), StandardCharsets.UTF_8)).isEqualTo(sent);
        assertThat(row.contentHash()).isEqualTo(formerContentHash(object));
        assertThat(row.labels()).isEqualTo("{\"app\":\"web\"}");
        assertThat(row.key()).isEqualTo("u:u1");
    }

    @Test
    void anObjectWithoutAUidIsKeyedByTheProtocolsRuleWithAnEmptyNamespaceWhenClusterScoped() {
        RecordRow clusterScoped = single("{\"objects\":[{\"apiVersion\":\"v1\",\"kind\":\"Node\","
                + "\"metadata\":{\"name\":\"node-1\"}}]}");
        RecordRow namespaced = single("{\"objects\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"cm\",\"namespace\":\"shop\"}}]}");

        assertThat(clusterScoped.key()).isEqualTo(RecordKey.object(null, "v1", "Node", null, "node-1").value())
                .isEqualTo("n:v1/Node//node-1");
        assertThat(clusterScoped.namespace()).isNull();
        assertThat(namespaced.key()).isEqualTo("n:v1/ConfigMap/shop/cm");
    }

    @Test
    void leftOutMembersMayStandFirstLastOrAlone() {
        String sent = "{\"status\":{},\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"7\",\"uid\":\"u2\","
                + "\"managedFields\":[]},\"apiVersion\":\"v1\",\"status\":1}";
        String alone = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"7\"},\"uid\":\"x\"}";

        assertThat(single("{\"objects\":[" + sent + "]}").contentHash())
                .isEqualTo(PageParser.sha256(bytes("{\"kind\":\"Pod\",\"metadata\":{\"uid\":\"u2\"},\"apiVersion\":\"v1\"}")));
        assertThatThrownBy(() -> single("{\"objects\":[" + alone + "]}")).isInstanceOf(ApiException.class)
                .hasMessageContaining("neither metadata.uid nor metadata.name");
    }

    @Test
    void blanksBetweenMembersAreNotContentButBlanksInsideValuesAre() {
        String spaced = "{ \"apiVersion\" : \"v1\" ,\n \"kind\":\"Pod\", \"metadata\": {\"name\":\"p\" , "
                + "\"resourceVersion\":\"1\"\t} , \"status\" : {} }";
        RecordRow row = single("{\"objects\":[ " + spaced + " ]}");

        assertThat(new String(row.body(), StandardCharsets.UTF_8)).isEqualTo(spaced);
        assertThat(row.contentHash())
                .isEqualTo(PageParser.sha256(bytes("{\"apiVersion\" : \"v1\",\"kind\":\"Pod\",\"metadata\": {\"name\":\"p\"}}")));
    }

    @Test
    void theAddressIsTheSameForTheSameBytesAndDiffersWhereverTheBytesDoEvenWithTheSameContentHash() {
        String object = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"uid\":\"u\",\"resourceVersion\":\"1\"},"
                + "\"status\":{\"phase\":\"Running\"}}";
        List<String> variants = List.of(
                object,
                object.replace("Running", "Pending"),
                object.replace("\"1\"", "\"2\""),
                object.replace(",\"status\"", " ,\"status\""),
                object.replace("{\"uid\"", "{ \"uid\""),
                "{\"status\":{\"phase\":\"Running\"},\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"uid\":\"u\",\"resourceVersion\":\"1\"}}",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"1\",\"uid\":\"u\"},\"status\":{\"phase\":\"Running\"}}");
        List<RecordRow> rows = variants.stream().map(v -> single("{\"objects\":[" + v + "]}")).toList();

        assertThat(rows).extracting(row -> HexFormat.of().formatHex(row.contentHash())).containsOnly(
                HexFormat.of().formatHex(rows.get(0).contentHash()));
        assertThat(rows).extracting(row -> HexFormat.of().formatHex(row.bodyHash())).doesNotHaveDuplicates();
        RecordRow elsewhere = rows("{\"other\":1, \"objects\" : [ {\"apiVersion\":\"v1\",\"kind\":\"Pod\","
                + "\"metadata\":{\"uid\":\"x\"}},\n" + object + "]}").get(1);
        assertThat(elsewhere.bodyHash()).isEqualTo(rows.get(0).bodyHash());
        assertThat(rows.get(0).bodyHash()).isNotEqualTo(PageParser.sha256(bytes(object)));
    }

    /** The content hash as the receiver first computed it: the tree less those members, written compact. */
    private static byte[] formerContentHash(ObjectNode object) {
        ObjectNode content = object.deepCopy();
        content.remove("status");
        ((ObjectNode) content.get("metadata")).remove(List.of("resourceVersion", "managedFields"));
        return PageParser.sha256(Json.MAPPER.writeValueAsBytes(content));
    }

    private static RecordRow single(String page) {
        List<RecordRow> rows = rows(page);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static List<RecordRow> rows(String page) {
        byte[] bytes = bytes(page);
        try (JsonParser parser = Json.MAPPER.createParser(bytes)) {
            return PageParser.parse(parser, bytes, RecordKind.OBJECTS);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
