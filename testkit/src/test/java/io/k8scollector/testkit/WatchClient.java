package io.k8scollector.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * One open watch of a test cluster: its events as they arrive, read on a thread of its own, and how
 * the stream ended. Every wait is bounded.
 */
final class WatchClient implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<Throwable> ended = new CompletableFuture<>();
    private final HttpResponse<Stream<String>> response;

    WatchClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        Thread reader = new Thread(() -> {
            try (Stream<String> lines = response.body()) {
                lines.filter(line -> !line.isEmpty()).forEach(line -> events.add(Json.MAPPER.readTree(line)));
                ended.complete(null);
            } catch (RuntimeException e) {
                ended.complete(e);
            }
        }, "watch-client");
        reader.setDaemon(true);
        reader.start();
    }

    int statusCode() {
        return response.statusCode();
    }

    /** The next event that is not a bookmark. */
    JsonNode next() throws InterruptedException {
        while (true) {
            JsonNode event = nextOfAnyType();
            if (!event.path("type").asString().equals("BOOKMARK")) {
                return event;
            }
        }
    }

    /** The next {@code count} events that are not bookmarks. */
    List<JsonNode> next(int count) throws InterruptedException {
        List<JsonNode> read = new ArrayList<>();
        while (read.size() < count) {
            read.add(next());
        }
        return read;
    }

    /** The next event, bookmarks included. */
    JsonNode nextOfAnyType() throws InterruptedException {
        JsonNode event = events.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("a watch event within %s", PATIENCE).isNotNull();
        return event;
    }

    /** The next event if one arrives within {@code wait}, else null. */
    JsonNode poll(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for the stream to end: null when the server ended it properly, else the failure. */
    Throwable end() throws Exception {
        return ended.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        response.body().close();
    }
}
