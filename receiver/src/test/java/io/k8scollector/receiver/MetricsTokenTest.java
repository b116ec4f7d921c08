package io.k8scollector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.receiver.ingest.Limits;
import io.k8scollector.receiver.store.Retention;
import io.k8scollector.receiver.server.Quotas;
import io.k8scollector.receiver.server.ReceiverServer;
import io.k8scollector.receiver.server.ReceiverSettings;
import io.k8scollector.receiver.store.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --metrics-token}: /metrics answers only with that bearer token; /healthz stays open. */
class MetricsTokenTest {

    @Test
    void metricsNeedTheTokenWhenOneIsSet(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(TestDatabases.sqlite(dir));
                ReceiverServer server = ReceiverServer.start(new ReceiverSettings("127.0.0.1", 0, new Retention(3, java.time.Duration.ZERO), "s3cret-metrics",
                        null, null, Limits.DEFAULT, ReceiverSettings.DEFAULT_IDLE_LIMIT, Quotas.DEFAULT, null), db, Clock.systemUTC())) {
            HttpClient http = HttpClient.newHttpClient();
            URI metrics = URI.create("http://127.0.0.1:" + server.port() + "/metrics");

            HttpResponse<String> without = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(metrics).header("Authorization", "Bearer nope").build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> with = http.send(HttpRequest.newBuilder(metrics)
                    .header("Authorization", "Bearer s3cret-metrics").build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(without.statusCode()).isEqualTo(401);
            assertThat(without.body()).contains("\"error\":\"unauthorized\"");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(with.statusCode()).isEqualTo(200);
            assertThat(with.body()).contains("# TYPE receiver_requests_total counter").contains("status=\"401\"} 2");
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }
}
