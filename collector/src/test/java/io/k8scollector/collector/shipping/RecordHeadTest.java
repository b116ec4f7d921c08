package io.k8scollector.collector.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.RecordKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordHeadTest {

    private static RecordHead head(String json) {
        return RecordHead.of(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keysAnObjectByUidAndNamesIt() {
        RecordHead head = head("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
                + "\"namespace\":\"shop\",\"uid\":\"u-1\",\"labels\":{\"a\":\"b\"}},\"spec\":{\"replicas\":3}}");

        assertThat(head.key(RecordKind.OBJECTS)).isEqualTo("u-1");
        assertThat(head.group()).isEqualTo("apps");
        assertThat(head.version()).isEqualTo("v1");
        assertThat(head.metadata("namespace")).isEqualTo("shop");
    }

    @Test
    void anObjectWithoutUidIsKeyedByItsCoordinates() {
        RecordHead head = head("{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"cm\",\"namespace\":\"ns\"}}");

        assertThat(head.key(RecordKind.OBJECTS)).isEqualTo("v1/ConfigMap/ns/cm");
        assertThat(head.group()).isEmpty();
        assertThat(head.version()).isEqualTo("v1");
    }

    @Test
    void keysOtherRecordsAsTheEndpointDoes() {
        assertThat(head("{\"name\":\"shop\",\"namespace\":\"prod\",\"source\":\"helm\",\"chart\":{\"name\":\"x\"}}")
                .key(RecordKind.HELM_RELEASES)).isEqualTo("helm/prod/shop");
        assertThat(head("{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"}").key(RecordKind.TYPES)).isEqualTo("/pods");
        assertThat(head("{\"uid\":\"root\",\"children\":[{\"uid\":\"child\"}]}").key(RecordKind.TREES)).isEqualTo("root");
    }

    @Test
    void aRecordThatIsNotJsonHasNoKey() {
        assertThat(head("not json").key(RecordKind.OBJECTS)).isEmpty();
    }
}
