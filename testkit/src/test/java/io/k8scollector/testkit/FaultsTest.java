package io.k8scollector.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;
import io.k8scollector.protocol.Json;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class FaultsTest {

    private static final String REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

    @RegisterExtension
    static final RunningCluster running = new RunningCluster(ClusterSpec.builder().pods(40).build());

    @Test
    void aForbiddenTypeAnswers403OnListsAndGetsUntilCleared() {
        running.cluster().faults().forbid("", "secrets");
        JsonNode list = running.client().json("/api/v1/secrets");
        assertThat(list.path("code").asInt()).isEqualTo(403);
        assertThat(list.path("reason").asString()).isEqualTo("Forbidden");
        assertThat(list.path("message").asString()).contains("cannot list resource \"secrets\"");
        assertThat(running.client().get("/api/v1/namespaces/default/secrets/x").statusCode()).isEqualTo(403);
        assertThat(running.client().get("/api/v1/configmaps").statusCode()).isEqualTo(200);
        running.cluster().faults().clear();
        assertThat(running.client().get("/api/v1/secrets").statusCode()).isEqualTo(200);
    }

    @Test
    void failingWatchesAnswerTheirStatusWhileListsWorkUntilCleared() {
        running.cluster().faults().failWatches("", "configmaps", 503);
        String version = running.client().json("/api/v1/configmaps").path("metadata").path("resourceVersion").asString();
        String watch = "/api/v1/configmaps?watch=1&timeoutSeconds=1&resourceVersion=" + version;
        JsonNode refused = running.client().json(watch);
        assertThat(refused.path("code").asInt()).isEqualTo(503);
        assertThat(refused.path("kind").asString()).isEqualTo("Status");
        assertThat(running.client().get("/api/v1/secrets?watch=1&timeoutSeconds=1&resourceVersion=" + version)
                .statusCode()).isEqualTo(200);
        running.cluster().faults().clear();
        assertThat(running.client().get(watch).statusCode()).isEqualTo(200);
    }

    @Test
    void aBrokenAggregatedGroupStaysListedButItsDiscoveryFails() {
        running.cluster().faults().failDiscovery("metrics.k8s.io", "v1beta1", 503);
        assertThat(running.client().json("/apis").path("groups").findValuesAsString("name")).contains("metrics.k8s.io");
        JsonNode status = running.client().json("/apis/metrics.k8s.io/v1beta1");
        assertThat(status.path("code").asInt()).isEqualTo(503);
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(running.client().get("/apis/metrics.k8s.io/v1beta1/pods").statusCode()).isEqualTo(503);
        assertThat(running.client().get("/apis/apps/v1").statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredContinueTokenAnswers410OnceAndOnlyWhenContinuing() {
        running.cluster().faults().expireContinueOnce("", "pods");
        JsonNode first = running.client().json("/api/v1/pods?limit=10");
        String token = first.path("metadata").path("continue").asString();
        assertThat(first.get("items")).hasSize(10);
        JsonNode expired = running.client().json("/api/v1/pods?limit=10&continue=" + token);
        assertThat(expired.path("code").asInt()).isEqualTo(410);
        assertThat(expired.path("reason").asString()).isEqualTo("Expired");
        assertThat(running.client().get("/api/v1/pods?limit=10&continue=" + token).statusCode()).isEqualTo(200);
    }

    @Test
    void aThrottledListAnswers429WithRetryAfterOnce() {
        running.cluster().faults().throttleOnce("apps", "deployments", 3);
        HttpResponse<byte[]> throttled = running.client().get("/apis/apps/v1/deployments");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(running.client().get("/apis/apps/v1/deployments").statusCode()).isEqualTo(200);
    }

    @Test
    void aFailingListAnswersTheStatusOnce() {
        running.cluster().faults().failOnce("", "services", 500);
        JsonNode failed = running.client().json("/api/v1/services");
        assertThat(failed.path("code").asInt()).isEqualTo(500);
        assertThat(failed.path("reason").asString()).isEqualTo("InternalError");
        assertThat(running.client().get("/api/v1/services").statusCode()).isEqualTo(200);
    }

    @Test
    void aBrokenOffListDropsTheConnectionMidBodyOnce() {
        running.cluster().faults().breakOffOnce("", "pods");
        assertThatThrownBy(() -> running.client().get("/api/v1/pods?limit=10")).isInstanceOf(UncheckedIOException.class);
        assertThat(running.client().json("/api/v1/pods?limit=10").get("items")).hasSize(10);
    }

    @Test
    void faultsOfOneGroupLeaveTheSameResourceNameInAnotherAlone() {
        running.cluster().faults().forbid("metrics.k8s.io", "pods");
        assertThat(running.client().get("/apis/metrics.k8s.io/v1beta1/pods").statusCode()).isEqualTo(403);
        assertThat(running.client().get("/api/v1/pods").statusCode()).isEqualTo(200);
    }

    @Test
    void accessReviewsAnswerAsTheForbiddenTypesDoInEveryNamespaceAndVerb() {
        running.cluster().faults().forbid("apps", "deployments");
        JsonNode denied = review("list", "apps", "deployments", "shop");
        assertThat(denied.path("kind").asString()).isEqualTo("SelfSubjectAccessReview");
        assertThat(denied.path("spec").path("resourceAttributes").path("resource").asString()).isEqualTo("deployments");
        assertThat(denied.path("status").path("allowed").asBoolean(true)).isFalse();
        assertThat(denied.path("status").path("reason").asString()).contains("deployments");
        assertThat(review("watch", "apps", "deployments", null).path("status").path("allowed").asBoolean(true)).isFalse();
        assertThat(review("list", "", "pods", null).path("status").path("allowed").asBoolean(false)).isTrue();
        assertThat(review("list", "extensions.example", "deployments", null).path("status").path("allowed")
                .asBoolean(false)).isTrue();
    }

    @Test
    void accessReviewsAreRefusedWithTheStatusAskedForUntilCleared() {
        running.cluster().faults().refuseAccessReviews(404);
        HttpResponse<byte[]> refused = running.client().send("POST", REVIEWS, reviewBody("list", "", "pods", null));
        assertThat(refused.statusCode()).isEqualTo(404);
        running.cluster().faults().refuseAccessReviews(403);
        assertThat(running.client().send("POST", REVIEWS, reviewBody("list", "", "pods", null)).statusCode()).isEqualTo(403);
        running.cluster().faults().clear();
        assertThat(running.client().send("POST", REVIEWS, reviewBody("list", "", "pods", null)).statusCode()).isEqualTo(201);
    }

    @Test
    void aRefusalIsSentOnlyAfterTheWholeRequestHasArrived() throws Exception {
        running.cluster().faults().refuseAccessReviews(403);
        byte[] body = reviewBody("list", "", "pods", null).getBytes(StandardCharsets.UTF_8);
        try (SSLSocket socket = (SSLSocket) ClusterClient.trusting(running.cluster().caCertificatePem())
                .getSocketFactory().createSocket("127.0.0.1", running.cluster().url().getPort())) {
            socket.setSoTimeout(300);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + REVIEWS + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + running.cluster().token() + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            assertThatThrownBy(in::read).as("an answer before the body was sent")
                    .isInstanceOf(SocketTimeoutException.class);
            out.write(body);
            out.flush();
            socket.setSoTimeout(30_000);
            byte[] statusLine = new byte["HTTP/1.1 403".length()];
            int read = 0;
            while (read < statusLine.length) {
                int n = in.read(statusLine, read, statusLine.length - read);
                assertThat(n).as("bytes of the answer").isPositive();
                read += n;
            }
            assertThat(new String(statusLine, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 403");
        }
    }

    @Test
    void anAccessReviewWithoutAttributesIsInvalid() {
        HttpResponse<byte[]> invalid = running.client().send("POST", REVIEWS, "{\"spec\":{}}");
        assertThat(invalid.statusCode()).isEqualTo(422);
    }

    private static JsonNode review(String verb, String group, String resource, String namespace) {
        HttpResponse<byte[]> answer = running.client().send("POST", REVIEWS, reviewBody(verb, group, resource, namespace));
        assertThat(answer.statusCode()).isEqualTo(201);
        return Json.MAPPER.readTree(answer.body());
    }

    private static String reviewBody(String verb, String group, String resource, String namespace) {
        return "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\",\"spec\":"
                + "{\"resourceAttributes\":{\"verb\":\"" + verb + "\",\"group\":\"" + group + "\",\"resource\":\""
                + resource + "\"" + (namespace == null ? "" : ",\"namespace\":\"" + namespace + "\"") + "}}}";
    }
}
