package io.k8scollector.receiver.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.TestObjects;
import io.k8scollector.receiver.server.ApiException;
import io.k8scollector.receiver.store.RecordRow;
import java.nio.charset.StandardCharsets;
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
        assertThat(row.bodyHash()).isEqualTo(PageParser.sha256(sent.getBytes(StandardCharsets.UTF_8)));
        assertThat(row.contentHash()).isEqualTo(formerContentHash(object));
        assertThat(row.labels()).isEqualTo("{\"app\":\"web\"}");
        assertThat(row.key()).isEqualTo("u:u1");
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

    /** The content hash as the receiver first computed it: the tree less those members, written compact. */
    private static byte[] formerContentHash(ObjectNode object) {
        ObjectNode content = object.deepCopy();
        content.remove("status");
        ((ObjectNode) content.get("metadata")).remove(List.of("resourceVersion", "managedFields"));
        return PageParser.sha256(Json.MAPPER.writeValueAsBytes(content));
    }

    private static RecordRow single(String page) {
        byte[] bytes = bytes(page);
        try (JsonParser parser = Json.MAPPER.createParser(bytes)) {
            List<RecordRow> rows = PageParser.parse(parser, bytes, RecordKind.OBJECTS);
            assertThat(rows).hasSize(1);
            return rows.get(0);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
