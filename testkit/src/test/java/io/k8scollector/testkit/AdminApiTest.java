package io.k8scollector.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AdminApiTest {

    @RegisterExtension
    static final RunningCluster running = new RunningCluster(ClusterSpec.builder().pods(20).build());

    @Test
    void upsertsAndDeletesObjects() {
        String map = """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"added","namespace":"shop"},
                 "data":{"k":"v"}}""";
        assertThat(running.client().send("POST", "/testkit/objects", map).statusCode()).isEqualTo(204);
        assertThat(running.client().json("/api/v1/namespaces/shop/configmaps/added").path("data").path("k").asString())
                .isEqualTo("v");
        assertThat(running.client().send("DELETE", "/testkit/objects/core/configmaps/shop/added", null).statusCode())
                .isEqualTo(204);
        assertThat(running.client().get("/api/v1/namespaces/shop/configmaps/added").statusCode()).isEqualTo(404);
        assertThat(running.client().send("DELETE", "/testkit/objects/core/configmaps/shop/added", null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void deletesClusterScopedObjectsWithAnUnderscoreForTheNamespace() {
        assertThat(running.client().send("DELETE", "/testkit/objects/storage.k8s.io/storageclasses/_/standard", null)
                .statusCode()).isEqualTo(204);
        assertThat(running.cluster().store().count("storage.k8s.io", "storageclasses")).isZero();
    }

    @Test
    void setsAndClearsFaults() {
        assertThat(running.client().send("POST", "/testkit/faults/forbid?group=apps&resource=deployments", null).statusCode())
                .isEqualTo(204);
        assertThat(running.client().get("/apis/apps/v1/deployments").statusCode()).isEqualTo(403);
        running.client().send("POST", "/testkit/faults/fail?group=&resource=pods&status=503", null);
        assertThat(running.client().get("/api/v1/pods").statusCode()).isEqualTo(503);
        running.client().send("POST", "/testkit/faults/throttle?group=&resource=pods&retryAfterSeconds=2", null);
        assertThat(running.client().get("/api/v1/pods").headers().firstValue("Retry-After")).hasValue("2");
        running.client().send("POST", "/testkit/faults/fail-discovery?group=example.com&version=v1beta1&status=503", null);
        assertThat(running.client().get("/apis/example.com/v1beta1").statusCode()).isEqualTo(503);
        assertThat(running.client().send("DELETE", "/testkit/faults", null).statusCode()).isEqualTo(204);
        assertThat(running.client().get("/apis/apps/v1/deployments").statusCode()).isEqualTo(200);
        assertThat(running.client().get("/apis/example.com/v1beta1").statusCode()).isEqualTo(200);
    }

    @Test
    void answersBadRequestsWithOneLineNamingTheProblem() {
        HttpResponse<byte[]> notJson = running.client().send("POST", "/testkit/objects", "{not json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(text(notJson)).contains("not JSON");
        HttpResponse<byte[]> unknownKind = running.client().send("POST", "/testkit/objects",
                "{\"apiVersion\":\"v9\",\"kind\":\"Nope\",\"metadata\":{\"name\":\"x\"}}");
        assertThat(text(unknownKind)).contains("\\\"v9\\\"", "\\\"Nope\\\"");
        HttpResponse<byte[]> badStatus = running.client().send("POST", "/testkit/faults/fail?group=&resource=pods&status=x",
                null);
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(text(badStatus)).contains("status=\\\"x\\\"");
        assertThat(running.client().send("POST", "/testkit/faults/explode?group=", null).statusCode()).isEqualTo(400);
    }

    @Test
    void requiresTheTokenToo() {
        assertThat(running.client().send("DELETE", "/testkit/faults", null, null).statusCode()).isEqualTo(401);
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
