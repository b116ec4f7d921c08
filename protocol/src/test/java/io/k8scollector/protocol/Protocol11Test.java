package io.k8scollector.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class Protocol11Test {

    @Test
    void objectsAreKeyedByUidElseByTheirNameWithAnEmptyNamespaceWhenClusterScoped() {
        assertThat(RecordKey.object("u-1", "v1", "Pod", "shop", "web").value()).isEqualTo("u:u-1");
        assertThat(RecordKey.object(null, "v1", "Namespace", null, "shop").value()).isEqualTo("n:v1/Namespace//shop");
        assertThat(RecordKey.object("", "v1", "Pod", "shop", "web").value()).isEqualTo("n:v1/Pod/shop/web");
        assertThatThrownBy(() -> RecordKey.object(null, "v1", "Pod", "shop", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata.uid or metadata.name");
    }

    @Test
    void everyRecordKindHasOneKeyRuleWhetherSentOrDeleted() {
        HelmRelease release = new HelmRelease("shop", "prod", 7, "deployed", null, null, null, null, "helm", "secret",
                null, null, null);
        TypeRecord type = new TypeRecord("", "v1", "Pod", "pods", true, List.of("list"), true, null);
        TreeNode tree = new TreeNode("root-1", "apps/v1", "Deployment", "web", "shop", List.of());

        assertThat(RecordKey.of(release)).isEqualTo(Deletion.helmRelease("helm", "prod", "shop").key())
                .isEqualTo(new RecordKey(RecordKind.HELM_RELEASES, "helm/prod/shop"));
        assertThat(RecordKey.of(type)).isEqualTo(Deletion.type("", "pods").key())
                .isEqualTo(new RecordKey(RecordKind.TYPES, "/pods"));
        assertThat(RecordKey.of(tree)).isEqualTo(Deletion.tree("root-1").key());
        assertThat(Deletion.object("u-1", "v1", "Pod", "shop", "web").key())
                .isEqualTo(RecordKey.object("u-1", "v1", "Pod", "shop", "web"));
    }

    @Test
    void aDeletionCarriesOnlyTheFieldsOfItsRecordKind() {
        JsonNode object = Json.MAPPER.valueToTree(Deletion.object("u-1", "v1", "Pod", "shop", "web"));
        JsonNode type = Json.MAPPER.valueToTree(Deletion.type("example.com", "widgets"));

        assertThat(object.propertyNames())
                .containsExactlyInAnyOrder("recordKind", "uid", "apiVersion", "kind", "namespace", "name");
        assertThat(type.propertyNames()).containsExactlyInAnyOrder("recordKind", "group", "resource");
        assertThat(Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(Deletion.tree("r")), Deletion.class))
                .isEqualTo(Deletion.tree("r"));
    }

    @Test
    void anUnknownRecordKindIsNamedWithTheAllowedOnes() {
        assertThat(RecordKind.fromRecordKind("helmRelease")).isEqualTo(RecordKind.HELM_RELEASES);
        assertThatThrownBy(() -> RecordKind.fromRecordKind("widget"))
                .hasMessage("unknown recordKind \"widget\" (allowed: object, helmRelease, type, tree)");
    }

    @Test
    void aDeltaStartSaysItsProtocolBaseAndMode() {
        FetchingStart start = new FetchingStart(FetchingStart.PROTOCOL_1_1, "0123456789abcdef01234567",
                "76543210fedcba9876543210", "uid-1", false,
                new FetchingStart.Collector("1.1.0", FetchingStart.Collector.CONTINUOUS, 30),
                Instant.parse("2026-12-03T10:00:00Z"));

        JsonNode json = Json.MAPPER.valueToTree(start);

        assertThat(json.get("protocol").asString()).isEqualTo("1.1");
        assertThat(json.get("base").asString()).isEqualTo("76543210fedcba9876543210");
        assertThat(json.get("collector").get("mode").asString()).isEqualTo("continuous");
        assertThat(start.collector().heartbeatSecondsOrDefault()).isEqualTo(30);
        FetchingStart old = Json.MAPPER.readValue("{\"fetchingId\":\"f\",\"collector\":{\"version\":\"1.0.0\"}}",
                FetchingStart.class);
        assertThat(old.speaks11()).isFalse();
        assertThat(old.collector().heartbeatSecondsOrDefault()).isEqualTo(60);
    }

    @Test
    void aCommitTellsAbsentSkippedFromAnEmptyListAndAHeartbeatFromAnEmptyReplacement() {
        Commit heartbeat = Json.MAPPER.readValue("{\"counts\":{},\"finishedAt\":\"2026-12-03T10:00:00Z\"}",
                Commit.class);
        Commit clearsSkipped = Json.MAPPER.readValue("{\"counts\":{},\"skipped\":[]}", Commit.class);
        Commit complete = new Commit(new Counts(0, 0, 0, 0, 2), null, null,
                List.of(CompleteType.objects("", "pods", "Pod"), CompleteType.records(RecordKind.HELM_RELEASES)),
                null);

        assertThat(heartbeat.isHeartbeat()).isTrue();
        assertThat(heartbeat.skipped()).isNull();
        assertThat(Json.MAPPER.valueToTree(heartbeat).has("skipped")).isFalse();
        assertThat(clearsSkipped.isHeartbeat()).isFalse();
        assertThat(clearsSkipped.skipped()).isEmpty();
        assertThat(complete.isHeartbeat()).isFalse();
        JsonNode json = Json.MAPPER.valueToTree(complete);
        assertThat(json.get("counts").get("deletions").asLong()).isEqualTo(2);
        assertThat(json.get("completeTypes").get(0).propertyNames()).containsExactlyInAnyOrder("group", "resource", "kind");
        assertThat(json.get("completeTypes").get(1).get("recordKind").asString()).isEqualTo("helmRelease");
        assertThat(complete.completeTypesOrEmpty().get(0).isObjectType()).isTrue();
    }

    @Test
    void aBaseMismatchNamesTheCurrentSnapshotAndAStartAnswerItsMode() {
        ErrorBody mismatch = Json.MAPPER.readValue(
                "{\"error\":\"base_mismatch\",\"message\":\"m\",\"current\":\"abc\"}", ErrorBody.class);
        StartAnswer answer = Json.MAPPER.readValue("{\"protocol\":\"1.1\",\"mode\":\"delta\",\"base\":\"b\"}",
                StartAnswer.class);

        assertThat(mismatch.current()).isEqualTo("abc");
        assertThat(mismatch.error()).isEqualTo(ErrorBody.BASE_MISMATCH);
        assertThat(answer).isEqualTo(StartAnswer.delta("b"));
        assertThat(answer.isDelta()).isTrue();
        assertThat(StartAnswer.full().isDelta()).isFalse();
        assertThat(Paths.deletions("c", "f")).isEqualTo("/v1/clusters/c/fetchings/f/deletions");
    }

    @Test
    void aReportRoundTripsWithPerTypeFigures() {
        Commit.Report report = new Commit.Report(5400L, 212L, 0L, 1L, 391900000L, 33000000L, "3f2a9c1e",
                List.of(new Commit.TypeReport("", "pods", 100000L, 200L, 4100L)));

        String json = Json.MAPPER.writeValueAsString(report);

        assertThat(Json.MAPPER.readValue(json, Commit.Report.class)).isEqualTo(report);
        assertThat(Json.MAPPER.writeValueAsString(new Commit.Report("3f2a9c1e")))
                .isEqualTo("{\"redactionKeyId\":\"3f2a9c1e\"}");
    }
}
