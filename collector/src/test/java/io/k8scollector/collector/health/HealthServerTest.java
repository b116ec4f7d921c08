package io.k8scollector.collector.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The health and metrics server, probed over HTTP as the kubelet and Prometheus do; time moves by an injected clock. */
@Timeout(30)
class HealthServerTest {

    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    private final MovableClock clock = new MovableClock(START);
    private final CollectorHealth health = new CollectorHealth(clock, Duration.ofSeconds(60));
    private final CollectorMetrics metrics = new CollectorMetrics();
    private final HealthServer server = HealthServer.start(0, health, metrics);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void close() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void livenessHoldsWhileAnythingProgressesAndFailsOnlyAfterTenQuietMinutes() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(9));
        health.progressed();
        clock.advance(Duration.ofMinutes(9));
        assertThat(get("/healthz").statusCode()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(2));
        HttpResponse<String> wedged = get("/healthz");

        assertThat(wedged.statusCode()).isEqualTo(503);
        assertThat(wedged.body()).isEqualTo("wedged: no watch event, bookmark, watch attempt or listing for 660 s (more than 10 minutes)\n");
        health.progressed();
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void readinessWaitsForTheFirstFullFetchingAndThenForACommitWithinThreeHeartbeats() throws Exception {
        health.committed(false);
        HttpResponse<String> starting = get("/readyz");
        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(starting.body()).contains("the first full fetching is not committed yet");

        health.committed(true);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(180));
        assertThat(get("/readyz").statusCode()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(1));
        HttpResponse<String> late = get("/readyz");
        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(late.body()).isEqualTo("not ready: the last commit or heartbeat succeeded 181 s ago (more than 3 heartbeats, 180 s)\n");
        assertThat(get("/healthz").statusCode()).as("an endpoint that takes no commit never fails liveness").isEqualTo(200);

        health.committed(false);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void readinessSaysWhileTheApiServerIsUnreachableAndLivenessHolds() throws Exception {
        health.committed(true);
        health.apiServerUnreachable("every watch failed: ConnectException");

        HttpResponse<String> down = get("/readyz");

        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).isEqualTo("not ready: the API server is unreachable (every watch failed: ConnectException)\n");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        health.apiServerAnswered();
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsAreServedInThePrometheusTextFormatWithTheIssuesNames() throws Exception {
        metrics.watchEvent("pods");
        metrics.watchEvent("pods");
        metrics.watchEvent("deployments.apps");
        metrics.watchRestart("pods");
        metrics.relist("widgets.example.com");
        metrics.retry();
        metrics.pending(7);
        metrics.delta(START.plusSeconds(5), List.of(Duration.ofMillis(300), Duration.ofMillis(1500)));
        metrics.heartbeat(START.plusSeconds(65));

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body().lines().filter(line -> !line.startsWith("#")).toList()).contains(
                "k8s_collector_watch_events_total{resource=\"pods\"} 2.0",
                "k8s_collector_watch_events_total{resource=\"deployments.apps\"} 1.0",
                "k8s_collector_watch_restarts_total{resource=\"pods\"} 1.0",
                "k8s_collector_relists_total{resource=\"widgets.example.com\"} 1.0",
                "k8s_collector_retries_total 1.0",
                "k8s_collector_deltas_total 1.0",
                "k8s_collector_heartbeats_total 1.0",
                "k8s_collector_pending_objects 7.0",
                "k8s_collector_last_commit_timestamp_seconds " + (double) START.plusSeconds(65).getEpochSecond(),
                "k8s_collector_commit_lag_seconds_bucket{le=\"0.25\"} 0",
                "k8s_collector_commit_lag_seconds_bucket{le=\"0.5\"} 1",
                "k8s_collector_commit_lag_seconds_bucket{le=\"2.0\"} 2",
                "k8s_collector_commit_lag_seconds_count 2",
                "k8s_collector_commit_lag_seconds_sum 1.8");
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(get("/-/healthy").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }
}
