package io.k8scollector.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.testkit.catalog.TypeKey;
import io.k8scollector.testkit.store.StoredObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class ListingTest {

    @RegisterExtension
    static final RunningCluster running = new RunningCluster(ClusterSpec.builder().pods(230).seed(7).build());

    @Test
    void pagesThroughEveryPodOnceWithContinueTokens() {
        List<String> uids = new ArrayList<>();
        List<Long> remaining = new ArrayList<>();
        Set<String> versions = new HashSet<>();
        String token = "";
        int pages = 0;
        do {
            JsonNode page = running.client().json("/api/v1/pods?limit=50" + (token.isEmpty() ? "" : "&continue=" + token));
            page.get("items").forEach(item -> uids.add(item.path("metadata").path("uid").asString()));
            versions.add(page.path("metadata").path("resourceVersion").asString());
            token = page.path("metadata").path("continue").asString("");
            if (!token.isEmpty()) {
                remaining.add(page.path("metadata").path("remainingItemCount").asLong());
            }
            pages++;
        } while (!token.isEmpty());
        assertThat(uids).doesNotHaveDuplicates().hasSize(230);
        assertThat(Set.copyOf(uids)).isEqualTo(running.cluster().store().uids("", "pods"));
        assertThat(pages).isEqualTo(5);
        assertThat(remaining).containsExactly(180L, 130L, 80L, 30L);
        assertThat(versions).hasSize(1);
    }

    @Test
    void builtInListItemsCarryNoTypeButTheListDoes() {
        JsonNode list = running.client().json("/apis/apps/v1/deployments?limit=2");
        assertThat(list.path("kind").asString()).isEqualTo("DeploymentList");
        assertThat(list.path("apiVersion").asString()).isEqualTo("apps/v1");
        assertThat(list.get("items")).hasSize(2);
        assertThat(list.get("items").get(0).has("apiVersion")).isFalse();
        assertThat(list.get("items").get(0).has("kind")).isFalse();
    }

    @Test
    void customResourceItemsCarryTheVersionTheyWereListedIn() {
        JsonNode v1 = running.client().json("/apis/example.com/v1/widgets");
        JsonNode beta = running.client().json("/apis/example.com/v1beta1/namespaces/shop/widgets");
        assertThat(v1.path("kind").asString()).isEqualTo("WidgetList");
        assertThat(v1.get("items")).isNotEmpty().allSatisfy(item -> {
            assertThat(item.path("apiVersion").asString()).isEqualTo("example.com/v1");
            assertThat(item.path("kind").asString()).isEqualTo("Widget");
        });
        assertThat(beta.get("items")).isNotEmpty().allSatisfy(item -> {
            assertThat(item.path("apiVersion").asString()).isEqualTo("example.com/v1beta1");
            assertThat(item.path("metadata").path("namespace").asString()).isEqualTo("shop");
        });
    }

    @Test
    void aResourceIsServedOnlyInItsVersions() {
        assertThat(running.client().get("/apis/example.com/v1beta1/gadgets").statusCode()).isEqualTo(200);
        assertThat(running.client().json("/apis/example.com/v1/gadgets").path("reason").asString()).isEqualTo("NotFound");
    }

    @Test
    void listsOneNamespaceOnNamespacedPaths() {
        JsonNode pods = running.client().json("/api/v1/namespaces/payments/pods");
        assertThat(pods.get("items")).isNotEmpty().allSatisfy(item ->
                assertThat(item.path("metadata").path("namespace").asString()).isEqualTo("payments"));
        assertThat(pods.path("metadata").has("continue")).isFalse();
    }

    @Test
    void getsSingleObjectsWithTheirType() {
        JsonNode namespace = running.client().json("/api/v1/namespaces/kube-system");
        assertThat(namespace.path("kind").asString()).isEqualTo("Namespace");
        assertThat(namespace.path("apiVersion").asString()).isEqualTo("v1");
        assertThat(running.client().json("/api/v1/namespaces/kube-system/status").path("metadata").path("uid"))
                .isEqualTo(namespace.path("metadata").path("uid"));
        StoredObject first = running.cluster().store().type(new TypeKey("", "pods")).all().get(0);
        String podName = first.name();
        String podNamespace = first.namespace();
        JsonNode pod = running.client().json("/api/v1/namespaces/" + podNamespace + "/pods/" + podName);
        assertThat(pod.path("kind").asString()).isEqualTo("Pod");
        assertThat(pod.path("metadata").path("name").asString()).isEqualTo(podName);
        assertThat(running.client().json("/api/v1/namespaces/" + podNamespace + "/pods/" + podName + "/status")
                .path("metadata").path("name").asString()).isEqualTo(podName);
    }

    @Test
    void answersMissingObjectsWithANotFoundStatus() {
        JsonNode status = running.client().json("/api/v1/namespaces/shop/pods/no-such-pod");
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(status.path("code").asInt()).isEqualTo(404);
        assertThat(status.path("message").asString()).isEqualTo("pods \"no-such-pod\" not found");
        assertThat(running.client().get("/apis/no.such.group/v1/things").statusCode()).isEqualTo(404);
    }

    @Test
    void refusesAContinueTokenItDidNotIssue() {
        JsonNode status = running.client().json("/api/v1/pods?limit=5&continue=bm90LWEtdG9rZW4");
        assertThat(status.path("code").asInt()).isEqualTo(400);
        assertThat(status.path("message").asString()).contains("continue key is not valid");
    }

    @Test
    void refusesListsOfTypesWithoutTheListVerb() {
        assertThat(running.client().json("/api/v1/namespaces/shop/bindings").path("code").asInt()).isEqualTo(405);
    }

    @Test
    void requiresTheBearerToken() {
        assertThat(running.client().send("GET", "/version", null, null).statusCode()).isEqualTo(401);
        var wrong = running.client().send("GET", "/api/v1/pods", "Bearer wrong", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(new String(wrong.body(), StandardCharsets.UTF_8)).contains("\"kind\":\"Status\"",
                "\"reason\":\"Unauthorized\"");
    }

    @Test
    void countsRequestsByPath() {
        running.client().get("/apis/batch/v1/jobs");
        running.client().get("/apis/batch/v1/jobs?limit=1");
        assertThat(running.cluster().requests()).containsEntry("/apis/batch/v1/jobs", 2L);
    }
}
