package io.k8scollector.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.server.Traffic;
import io.k8scollector.testkit.server.Traffic.Kind;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class TrafficTest {

    @RegisterExtension
    static final RunningCluster running = new RunningCluster(ClusterSpec.builder().pods(30)
            .bookmarkInterval(Duration.ofMillis(200)).build());

    @Test
    void countsEachKindOfRequestWithTheBodyBytesItWasAnswered() {
        Traffic traffic = running.cluster().traffic();
        Traffic.Count lists = traffic.of(Kind.LIST);
        Traffic.Count discovery = traffic.of(Kind.DISCOVERY);
        Traffic.Count gets = traffic.of(Kind.GET);
        Traffic.Count watches = traffic.of(Kind.WATCH);
        Traffic.Count other = traffic.of(Kind.OTHER);
        Traffic.Count api = traffic.api();

        HttpResponse<byte[]> page = running.client().get("/api/v1/pods?limit=5");
        HttpResponse<byte[]> groups = running.client().get("/apis");
        HttpResponse<byte[]> version = running.client().get("/apis/apps/v1");
        HttpResponse<byte[]> object = running.client().get("/api/v1/namespaces/shop/configmaps/kube-root-ca.crt");
        String rv = Json.MAPPER.readTree(page.body()).path("metadata").path("resourceVersion").asString();
        // Nothing changes meanwhile: the stream is bookmarks only, then the server's end after a second.
        HttpResponse<byte[]> watch = running.client().get("/api/v1/pods?watch=1&allowWatchBookmarks=true&timeoutSeconds=1"
                + "&resourceVersion=" + rv);
        HttpResponse<byte[]> refused = running.client().send("GET", "/api/v1/pods", null, null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(object.statusCode()).isEqualTo(200);
        assertThat(watch.statusCode()).isEqualTo(200);
        assertThat(new String(watch.body(), StandardCharsets.UTF_8)).contains("\"BOOKMARK\"");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(since(traffic.of(Kind.LIST), lists)).isEqualTo(new Traffic.Count(1, page.body().length));
        assertThat(since(traffic.of(Kind.DISCOVERY), discovery))
                .isEqualTo(new Traffic.Count(2, groups.body().length + version.body().length));
        assertThat(since(traffic.of(Kind.GET), gets)).isEqualTo(new Traffic.Count(1, object.body().length));
        assertThat(since(traffic.of(Kind.WATCH), watches)).isEqualTo(new Traffic.Count(1, watch.body().length));
        assertThat(since(traffic.of(Kind.OTHER), other)).isEqualTo(new Traffic.Count(1, refused.body().length));
        assertThat(since(traffic.api(), api)).isEqualTo(new Traffic.Count(6, page.body().length + groups.body().length
                + version.body().length + object.body().length + watch.body().length + refused.body().length));
    }

    @Test
    void listRequestsByPathAreTheListRequestsCountedRefusedOnesIncluded() {
        Map<String, Long> before = running.cluster().listRequests();
        running.cluster().faults().forbid("", "secrets");
        try {
            assertThat(running.client().get("/api/v1/secrets?limit=5").statusCode()).isEqualTo(403);
            assertThat(running.client().get("/api/v1/namespaces/shop/configmaps?limit=2").statusCode()).isEqualTo(200);
        } finally {
            running.cluster().faults().clear();
        }
        Map<String, Long> after = running.cluster().listRequests();

        assertThat(after.get("/api/v1/secrets") - before.getOrDefault("/api/v1/secrets", 0L)).isEqualTo(1);
        assertThat(after.get("/api/v1/namespaces/shop/configmaps")
                - before.getOrDefault("/api/v1/namespaces/shop/configmaps", 0L)).isEqualTo(1);
        assertThat(after.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(running.cluster().listRequestCount())
                .isEqualTo(running.cluster().traffic().of(Kind.LIST).requests());
    }

    @Test
    void countsAWatchAndItsBytesWhileItIsOpen() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Traffic traffic = running.cluster().traffic();
            Traffic.Count before = traffic.of(Kind.WATCH);
            String rv = running.client().json("/api/v1/configmaps?limit=1").path("metadata").path("resourceVersion")
                    .asString();
            try (WatchClient watch = running.client().watch("/api/v1/configmaps?watch=1&allowWatchBookmarks=true"
                    + "&timeoutSeconds=2&resourceVersion=" + rv)) {
                long received = 0;
                for (int i = 0; i < 3; i++) {
                    JsonNode bookmark = watch.nextOfAnyType();
                    assertThat(bookmark.path("type").asString()).isEqualTo("BOOKMARK");
                    received += Json.MAPPER.writeValueAsBytes(bookmark).length + 1;
                }
                Traffic.Count open = since(traffic.of(Kind.WATCH), before);
                assertThat(open.requests()).isEqualTo(1);
                assertThat(open.responseBytes()).isGreaterThanOrEqualTo(received);
                // Ended by the server, so that no stream of this test writes during the others.
                assertThat(watch.end()).isNull();
            }
        });
    }

    @Test
    void answersItsFiguresOnTheAdminApiWithoutCountingItsOwnRequests() {
        JsonNode first = Json.MAPPER.readTree(running.client().send("GET", "/testkit/traffic", null).body());
        JsonNode second = Json.MAPPER.readTree(running.client().send("GET", "/testkit/traffic", null).body());

        Traffic.Count api = running.cluster().traffic().api();
        assertThat(second.path("requests").asLong()).isEqualTo(first.path("requests").asLong()).isEqualTo(api.requests());
        assertThat(second.path("responseBytes").asLong()).isEqualTo(first.path("responseBytes").asLong())
                .isEqualTo(api.responseBytes());
        assertThat(second.path("admin").path("requests").asLong()).isEqualTo(first.path("admin").path("requests").asLong() + 1);
        assertThat(second.path("kinds").properties()).extracting(Map.Entry::getKey)
                .containsExactly("discovery", "list", "watch", "get", "review", "other");
        long sum = 0;
        for (JsonNode kind : second.path("kinds")) {
            sum += kind.path("responseBytes").asLong();
        }
        assertThat(sum).isEqualTo(second.path("responseBytes").asLong());
    }

    private static Traffic.Count since(Traffic.Count now, Traffic.Count before) {
        return new Traffic.Count(now.requests() - before.requests(), now.responseBytes() - before.responseBytes());
    }
}
