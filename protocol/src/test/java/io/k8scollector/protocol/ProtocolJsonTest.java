package io.k8scollector.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class ProtocolJsonTest {

    @Test
    void loginResponseUsesTheSnakeCaseFieldsOfTheProtocol() {
        LoginResponse response = Json.MAPPER.readValue(
                "{\"access_token\":\"t0k\",\"expires_in\":3600,\"token_type\":\"Bearer\",\"extra\":1}",
                LoginResponse.class);

        assertThat(response.accessToken()).isEqualTo("t0k");
        assertThat(response.expiresIn()).isEqualTo(3600);
        assertThat(response.toString()).doesNotContain("t0k");
    }

    @Test
    void startWritesInstantsAsIsoStrings() {
        FetchingStart start = new FetchingStart(
                "0123456789abcdef01234567", "uid-1", false,
                new FetchingStart.Collector("1.0.0"), Instant.parse("2026-11-27T14:00:00Z"));

        JsonNode json = Json.MAPPER.valueToTree(start);

        assertThat(json.get("startedAt").asString()).isEqualTo("2026-11-27T14:00:00Z");
        assertThat(json.get("collector").get("version").asString()).isEqualTo("1.0.0");
        assertThat(json.get("overrideUniqueClusterId").asBoolean()).isFalse();
    }

    @Test
    void skippedEntriesCarryOnlyTheFieldsThatApply() {
        Skipped skipped = Skipped.type("apps", "v1", "deployments", Skipped.Reason.FORBIDDEN, "403 from the API server");

        JsonNode json = Json.MAPPER.valueToTree(skipped);

        assertThat(json.propertyNames()).containsExactlyInAnyOrder(
                "kind", "group", "version", "resource", "reason", "message");
        assertThat(json.get("reason").asString()).isEqualTo("forbidden");
    }

    @Test
    void commitRoundTripsAndReadsAMissingCountAsZero() {
        Commit commit = Json.MAPPER.readValue(
                "{\"counts\":{\"objects\":3},\"finishedAt\":\"2026-11-27T14:01:00Z\"}", Commit.class);

        assertThat(commit.counts()).isEqualTo(new Counts(3, 0, 0, 0));
        assertThat(commit.skippedOrEmpty()).isEmpty();
        assertThat(Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(commit), Commit.class)).isEqualTo(commit);
    }

    @Test
    void treeNodesNestWithoutBodies() {
        TreeNode pod = new TreeNode("p", "v1", "Pod", "web-1", "shop", List.of());
        TreeNode rs = new TreeNode("r", "apps/v1", "ReplicaSet", "web", "shop", List.of(pod));

        TreeNode read = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(rs), TreeNode.class);

        assertThat(read).isEqualTo(rs);
        assertThat(read.children().get(0).uid()).isEqualTo("p");
    }

    @Test
    void fetchingIdsAreTwentyFourHexCharactersStartingWithTheEpochSeconds() {
        Instant now = Instant.parse("2026-11-27T14:00:00Z");

        String id = FetchingId.generate(now);

        assertThat(FetchingId.isValid(id)).isTrue();
        assertThat(Long.parseLong(id.substring(0, 8), 16)).isEqualTo(now.getEpochSecond());
        assertThat(FetchingId.generate(now)).isNotEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod", "a", "eu-west_1", "0123456789012345678901234567890123456789012345678901234567890ab"})
    void acceptsValidClusterIds(String id) {
        assertThat(ClusterId.isValid(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Prod", "my cluster", "a.b", "0123456789012345678901234567890123456789012345678901234567890abc"})
    void refusesInvalidClusterIds(String id) {
        assertThat(ClusterId.isValid(id)).isFalse();
    }

    @Test
    void recordKindsNameTheirPathAndField() {
        assertThat(Paths.records("c", "f", RecordKind.HELM_RELEASES))
                .isEqualTo("/v1/clusters/c/fetchings/f/helm-releases");
        assertThat(RecordKind.HELM_RELEASES.field()).isEqualTo("helmReleases");
        assertThat(new Counts(1, 2, 3, 4).plus(RecordKind.TREES, 1).of(RecordKind.TREES)).isEqualTo(5);
    }
}
