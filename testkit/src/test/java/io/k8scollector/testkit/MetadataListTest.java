package io.k8scollector.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Json;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Lists of metadata only, as the API server answers {@code Accept:
 * application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1}, and the 406 of a server that
 * does not serve them.
 */
class MetadataListTest {

    private static final String METADATA = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";

    @RegisterExtension
    static final RunningCluster running = new RunningCluster(ClusterSpec.builder().pods(30).seed(3).build());

    @Test
    void aMetadataListHoldsEachObjectsWholeMetadataAndNothingElsePagedAsUsual() {
        List<JsonNode> items = new ArrayList<>();
        String token = null;
        String resourceVersion = null;
        int pages = 0;
        do {
            String query = "/api/v1/pods?limit=7" + (token == null ? ""
                    : "&continue=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
            HttpResponse<byte[]> page = running.client().get(query, METADATA);
            assertThat(page.statusCode()).isEqualTo(200);
            JsonNode list = Json.MAPPER.readTree(page.body());
            assertThat(list.path("kind").asString()).isEqualTo("PartialObjectMetadataList");
            assertThat(list.path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1");
            if (resourceVersion == null) {
                resourceVersion = list.path("metadata").path("resourceVersion").asString();
            }
            list.path("items").forEach(items::add);
            token = list.path("metadata").path("continue").asString("");
            token = token.isEmpty() ? null : token;
            pages++;
        } while (token != null);

        JsonNode objects = running.client().json("/api/v1/pods");
        assertThat(pages).isGreaterThan(1);
        assertThat(resourceVersion).isEqualTo(objects.path("metadata").path("resourceVersion").asString());
        assertThat(items).hasSize(objects.path("items").size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            assertThat(item.path("kind").asString()).isEqualTo("PartialObjectMetadata");
            assertThat(item.path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1");
            assertThat(item.propertyNames()).containsExactlyInAnyOrder("kind", "apiVersion", "metadata");
            assertThat(item.path("metadata")).isEqualTo(objects.path("items").get(i).path("metadata"));
        }
    }

    @Test
    void selectorsApplyToAMetadataListAsToAnyList() {
        JsonNode objects = running.client().json("/api/v1/namespaces/shop/configmaps?fieldSelector=metadata.name%3Dkube-root-ca.crt");
        JsonNode list = Json.MAPPER.readTree(running.client().get(
                "/api/v1/namespaces/shop/configmaps?fieldSelector=metadata.name%3Dkube-root-ca.crt", METADATA).body());
        assertThat(list.path("items")).hasSize(1);
        assertThat(list.path("items").get(0).path("metadata")).isEqualTo(objects.path("items").get(0).path("metadata"));
    }

    @Test
    void aServerThatDoesNotServeMetadataListsAnswers406UnlessAnotherFormIsAccepted() {
        running.cluster().faults().refuseMetadataLists();

        HttpResponse<byte[]> refused = running.client().get("/api/v1/pods?limit=5", METADATA);
        HttpResponse<byte[]> fallback = running.client().get("/api/v1/pods?limit=5", METADATA + ", application/json");

        assertThat(refused.statusCode()).isEqualTo(406);
        assertThat(Json.MAPPER.readTree(refused.body()).path("kind").asString()).isEqualTo("Status");
        assertThat(fallback.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(fallback.body()).path("kind").asString()).isEqualTo("PodList");
    }
}
