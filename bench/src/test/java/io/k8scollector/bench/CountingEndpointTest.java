package io.k8scollector.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CountingEndpointTest {

    private static final Duration DELAY = Duration.ofSeconds(1);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void readsEveryRequestInFlightAtOnceAndAnswersEachNoSoonerThanTheDelay() throws Exception {
        try (CountingEndpoint endpoint = new CountingEndpoint(DELAY)) {
            List<CompletableFuture<Long>> answered = new ArrayList<>();
            // Twice as many requests as the endpoint has threads: one held through each delay
            // would leave half of them waiting a second delay.
            for (int i = 0; i < 8; i++) {
                long sent = System.nanoTime();
                answered.add(client.sendAsync(post(endpoint, "/v1/objects", "12345"), HttpResponse.BodyHandlers.discarding())
                        .thenApply(response -> {
                            assertThat(response.statusCode()).isEqualTo(204);
                            return System.nanoTime() - sent;
                        }));
            }
            for (CompletableFuture<Long> answer : answered) {
                assertThat(Duration.ofNanos(answer.get(30, TimeUnit.SECONDS)))
                        .isGreaterThanOrEqualTo(DELAY).isLessThan(DELAY.multipliedBy(2));
            }
            assertThat(endpoint.requests()).isEqualTo(8);
            assertThat(endpoint.bytes()).isEqualTo(8 * 5);
        }
    }

    @Test
    void answersLoginWithATokenAfterTheDelay() throws Exception {
        try (CountingEndpoint endpoint = new CountingEndpoint(DELAY)) {
            long sent = System.nanoTime();
            HttpResponse<String> login = client.sendAsync(post(endpoint, "/v1/login", "{}"),
                    HttpResponse.BodyHandlers.ofString()).get(30, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(DELAY);
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("\"access_token\"");
        }
    }

    @Test
    void readsTheDelayFromTheCommandLine() {
        assertThat(CountingEndpoint.delay()).isZero();
        assertThat(CountingEndpoint.delay("--delay-ms", "50")).isEqualTo(Duration.ofMillis(50));
        assertThatThrownBy(() -> CountingEndpoint.delay("--delay-ms", "-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"-1\"").hasMessageContaining("0 or more");
        assertThatThrownBy(() -> CountingEndpoint.delay("--delay-ms", "soon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"soon\"");
        assertThatThrownBy(() -> CountingEndpoint.delay("--slow"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--slow").hasMessageContaining("usage");
    }

    private static HttpRequest post(CountingEndpoint endpoint, String path, String body) {
        return HttpRequest.newBuilder(endpoint.uri().resolve(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
