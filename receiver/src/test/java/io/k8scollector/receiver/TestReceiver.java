package io.k8scollector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.LoginRequest;
import io.k8scollector.protocol.LoginResponse;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.keys.AccessKeys;
import io.k8scollector.receiver.keys.NewKey;
import io.k8scollector.receiver.keys.Scope;
import io.k8scollector.receiver.server.ReceiverServer;
import io.k8scollector.receiver.server.ReceiverSettings;
import io.k8scollector.receiver.store.Database;
import io.k8scollector.receiver.store.Retention;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A receiver started in-process on a random port, with an access key and a client for it. */
public final class TestReceiver implements AutoCloseable {

    public final Database db;
    public final ReceiverServer server;
    public final AccessKeys keys;
    public final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    public final String token;

    /** A receiver that keeps {@code retain} snapshots per cluster whatever their age. */
    public TestReceiver(String url, int retain) {
        this(url, ReceiverSettings.onPort(0).withHost("127.0.0.1").withRetention(new Retention(retain, Duration.ZERO)));
    }

    /** A receiver with {@code settings}; {@link #token} is that of a key for every cluster with both scopes. */
    public TestReceiver(String url, ReceiverSettings settings) {
        this(url, settings, Clock.systemUTC());
    }

    /** A receiver with {@code settings} whose every "now" is {@code clock}'s. */
    public TestReceiver(String url, ReceiverSettings settings, Clock clock) {
        this(Database.open(url), settings, clock);
    }

    /** A receiver with {@code settings} over {@code db}, which it closes when closed. */
    public TestReceiver(Database db, ReceiverSettings settings, Clock clock) {
        this.db = db;
        server = ReceiverServer.start(settings, db, clock);
        keys = new AccessKeys(db);
        token = login(keys.create(List.of(), EnumSet.allOf(Scope.class), Instant.now()));
    }

    /** A new key for {@code clusters} (empty: all) with {@code scopes}, logged in: its token. */
    public String token(List<String> clusters, Scope... scopes) {
        return login(keys.create(clusters, Set.of(scopes), Instant.now()));
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Logs in through the protocol and returns the token. */
    public String login(NewKey key) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(Paths.LOGIN))
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(
                        new LoginRequest(key.accessKey(), key.secretKey())))).build());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readValue(answer.body(), LoginResponse.class).accessToken();
    }

    /** POSTs {@code body} as gzip JSON with the default token. */
    public HttpResponse<String> post(String path, Object body) {
        return post(path, body, token);
    }

    public HttpResponse<String> post(String path, Object body, String bearer) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(Json.MAPPER.writeValueAsBytes(body)))).build());
    }

    /** POSTs raw bytes with the given headers (besides the token). */
    public HttpResponse<String> postRaw(String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET().build());
    }

    /** GETs and parses a 200 JSON answer. */
    public JsonNode getJson(String path) {
        HttpResponse<String> answer = get(path);
        assertThat(answer.statusCode()).as(path + " " + answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a fetching of {@code cluster} bound to {@code uniqueId}, expecting 204. */
    public void start(String cluster, String fetchingId, String uniqueId) {
        expect204(post(Paths.fetchings(cluster), Map.of("fetchingId", fetchingId, "clusterUniqueId", uniqueId,
                "collector", Map.of("version", "1.0.0"), "startedAt", Instant.now().toString())));
    }

    /** Sends one page of {@code kind}, expecting 204. */
    public void page(String cluster, String fetchingId, RecordKind kind, List<?> records) {
        expect204(post(Paths.records(cluster, fetchingId, kind), Map.of(kind.field(), records)));
    }

    public HttpResponse<String> commit(String cluster, String fetchingId, Map<String, Object> commit) {
        return post(Paths.commit(cluster, fetchingId), commit);
    }

    /** Starts, sends {@code objects} and commits with their count, expecting 204 throughout. */
    public void snapshot(String cluster, String fetchingId, List<ObjectNode> objects, List<?> skipped) {
        start(cluster, fetchingId, "uid-" + cluster);
        page(cluster, fetchingId, RecordKind.OBJECTS, objects);
        expect204(commit(cluster, fetchingId, Map.of("counts", Map.of("objects", objects.size()), "skipped", skipped)));
    }

    public static void expect204(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.uri() + " " + answer.body()).isEqualTo(204);
        assertThat(answer.body()).isEmpty();
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
        db.close();
    }
}
