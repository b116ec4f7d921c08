package io.k8scollector.collector.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DryRunSinkTest {

    private static final Commit.Report REPORT = new Commit.Report("0badc0de");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final DryRunSink sink = new DryRunSink(out);
    private final FetchingStart start = new FetchingStart("0123456789abcdef01234567", "uid", false,
            new FetchingStart.Collector("1.0.0"), Instant.EPOCH);


    @Test
    void writesOneDocumentWithEveryKindInOrderAndEmptyArraysForKindsNeverSeen() {
        sink.open("prod", start);
        sink.accept(TestRecords.object("web", "v1", "Pod", "shop", 0));
        sink.accept(TestRecords.object("node-1", "v1", "Node", null, 0));
        sink.accept(TestRecords.record(RecordKind.TYPES, "{\"resource\":\"pods\"}"));
        Counts counts = sink.commit(List.of(Skipped.type("", "v1", "secrets", Skipped.Reason.FORBIDDEN, "HTTP 403")), Instant.EPOCH, REPORT);

        JsonNode document = Json.MAPPER.readTree(out.toByteArray());
        assertThat(document.propertyNames()).containsExactly("objects", "helmReleases", "types", "trees", "skipped");
        assertThat(document.path("objects")).hasSize(2);
        assertThat(document.path("objects").get(1).path("kind").asString()).isEqualTo("Node");
        assertThat(document.path("helmReleases")).isEmpty();
        assertThat(document.path("types").get(0).path("resource").asString()).isEqualTo("pods");
        assertThat(document.path("skipped").get(0).path("reason").asString()).isEqualTo("forbidden");
        assertThat(counts).isEqualTo(new Counts(2, 0, 1, 0));
    }

    @Test
    void anEmptyRunIsStillAWholeDocument() {
        sink.open("prod", start);
        sink.commit(List.of(), Instant.EPOCH, REPORT);

        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"objects\":[],\"helmReleases\":[],\"types\":[],\"trees\":[],\"skipped\":[]}\n");
    }

    @Test
    void refusesAKindThatArrivesOutOfOrder() {
        sink.open("prod", start);
        sink.accept(TestRecords.record(RecordKind.TYPES, "{\"resource\":\"pods\"}"));

        assertThatThrownBy(() -> sink.accept(TestRecords.object("web", "v1", "Pod", "shop", 0))).isInstanceOf(IllegalStateException.class);
    }
}
