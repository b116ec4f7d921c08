package io.k8scollector.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FaultsTest {

    private static TestCluster cluster;
    private static ClusterClient client;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(ClusterSpec.builder().pods(40).build());
        client = new ClusterClient(cluster);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void clearFaults() {
        cluster.faults().clear();
    }

    @Test
    void aForbiddenTypeAnswers403OnListsAndGetsUntilCleared() {
        cluster.faults().forbid("", "secrets");
        JsonNode list = client.json("/api/v1/secrets");
        assertThat(list.path("code").asInt()).isEqualTo(403);
        assertThat(list.path("reason").asString()).isEqualTo("Forbidden");
        assertThat(list.path("message").asString()).contains("cannot list resource \"secrets\"");
        assertThat(client.get("/api/v1/namespaces/default/secrets/x").statusCode()).isEqualTo(403);
        assertThat(client.get("/api/v1/configmaps").statusCode()).isEqualTo(200);
        cluster.faults().clear();
        assertThat(client.get("/api/v1/secrets").statusCode()).isEqualTo(200);
    }

    @Test
    void aBrokenAggregatedGroupStaysListedButItsDiscoveryFails() {
        cluster.faults().failDiscovery("metrics.k8s.io", "v1beta1", 503);
        assertThat(client.json("/apis").path("groups").findValuesAsString("name")).contains("metrics.k8s.io");
        JsonNode status = client.json("/apis/metrics.k8s.io/v1beta1");
        assertThat(status.path("code").asInt()).isEqualTo(503);
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(client.get("/apis/metrics.k8s.io/v1beta1/pods").statusCode()).isEqualTo(503);
        assertThat(client.get("/apis/apps/v1").statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredContinueTokenAnswers410OnceAndOnlyWhenContinuing() {
        cluster.faults().expireContinueOnce("", "pods");
        JsonNode first = client.json("/api/v1/pods?limit=10");
        String token = first.path("metadata").path("continue").asString();
        assertThat(first.get("items")).hasSize(10);
        JsonNode expired = client.json("/api/v1/pods?limit=10&continue=" + token);
        assertThat(expired.path("code").asInt()).isEqualTo(410);
        assertThat(expired.path("reason").asString()).isEqualTo("Expired");
        assertThat(client.get("/api/v1/pods?limit=10&continue=" + token).statusCode()).isEqualTo(200);
    }

    @Test
    void aThrottledListAnswers429WithRetryAfterOnce() {
        cluster.faults().throttleOnce("apps", "deployments", 3);
        HttpResponse<byte[]> throttled = client.get("/apis/apps/v1/deployments");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(client.get("/apis/apps/v1/deployments").statusCode()).isEqualTo(200);
    }

    @Test
    void aFailingListAnswersTheStatusOnce() {
        cluster.faults().failOnce("", "services", 500);
        JsonNode failed = client.json("/api/v1/services");
        assertThat(failed.path("code").asInt()).isEqualTo(500);
        assertThat(failed.path("reason").asString()).isEqualTo("InternalError");
        assertThat(client.get("/api/v1/services").statusCode()).isEqualTo(200);
    }

    @Test
    void faultsOfOneGroupLeaveTheSameResourceNameInAnotherAlone() {
        cluster.faults().forbid("metrics.k8s.io", "pods");
        assertThat(client.get("/apis/metrics.k8s.io/v1beta1/pods").statusCode()).isEqualTo(403);
        assertThat(client.get("/api/v1/pods").statusCode()).isEqualTo(200);
    }
}
