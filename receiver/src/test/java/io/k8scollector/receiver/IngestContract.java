package io.k8scollector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.ErrorBody;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.LoginRequest;
import io.k8scollector.protocol.LoginResponse;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.StartAnswer;
import io.k8scollector.protocol.TypeRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * The ingest half of the protocol (docs/protocol.md), over HTTP only, against any ingest
 * endpoint: the receiver, and the collector's test endpoint (testkit's {@code IngestEndpoint}),
 * so that the fake the collector's tests trust answers as the receiver does. Each test uses a
 * cluster id of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IngestContract {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** The fetchingId of the last {@link #start11}. */
    private String lastStarted;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    /** The endpoint's base URI, without a trailing slash. */
    abstract URI base();

    /** A key that may ingest for every cluster. */
    abstract LoginRequest key();

    @Test
    void aWrongSecretIsRefusedAsUnauthorized() {
        HttpResponse<String> answer = post(Paths.LOGIN, new LoginRequest(key().accessKey(), "not-the-secret"), null);

        expectError(answer, 401, ErrorBody.UNAUTHORIZED);
    }

    @Test
    void aSnapshotCommitsWithTheCountsOfTheDistinctRecordsByTheirKeys() {
        String token = login();
        String cluster = cluster();
        String fetching = start(cluster, token);
        // the same Pod twice (one record), and a Node without a uid (keyed by apiVersion, kind, empty namespace, name)
        String pod = object("v1", "Pod", "shop", "web-1", UUID.randomUUID().toString());
        String node = object("v1", "Node", null, "node-1", null);
        expect2xx(page(cluster, fetching, RecordKind.OBJECTS, List.of(pod, node, pod), token));
        expect2xx(page(cluster, fetching, RecordKind.TYPES, List.of(Json.MAPPER.writeValueAsString(
                new TypeRecord("", "v1", "Pod", "pods", true, List.of("list"), true, null))), token));

        expect2xx(commit(cluster, fetching, new Counts(2, 0, 1, 0), token));
    }

    @Test
    void aCommitThatCountsMoreRecordsThanWereSentIsIncomplete() {
        String token = login();
        String cluster = cluster();
        String fetching = start(cluster, token);
        expect2xx(page(cluster, fetching, RecordKind.OBJECTS,
                List.of(object("v1", "Pod", "shop", "web-1", UUID.randomUUID().toString())), token));

        expectError(commit(cluster, fetching, new Counts(2, 0, 0, 0), token), 409, ErrorBody.INCOMPLETE);
    }

    @Test
    void aPageForAFetchingNeverStartedIsNotFound() {
        String token = login();
        String cluster = cluster();
        start(cluster, token);

        HttpResponse<String> answer = page(cluster, FetchingId.generate(Instant.now()), RecordKind.OBJECTS,
                List.of(object("v1", "Pod", "shop", "web-1", UUID.randomUUID().toString())), token);

        expectError(answer, 404, ErrorBody.NOT_FOUND);
    }

    @Test
    void aPageAfterTheCommitIsRefusedAsCommitted() {
        String token = login();
        String cluster = cluster();
        String fetching = start(cluster, token);
        String pod = object("v1", "Pod", "shop", "web-1", UUID.randomUUID().toString());
        expect2xx(page(cluster, fetching, RecordKind.OBJECTS, List.of(pod), token));
        expect2xx(commit(cluster, fetching, new Counts(1, 0, 0, 0), token));

        expectError(page(cluster, fetching, RecordKind.OBJECTS, List.of(pod), token), 409, ErrorBody.FETCHING_COMMITTED);
    }

    @Test
    void aProtocol11StartIsAnsweredWithItsModeAndADeltaNeedsTheCurrentBase() {
        String token = login();
        String cluster = cluster();
        HttpResponse<String> full = start11(cluster, FetchingId.generate(Instant.now()), null, token);
        assertThat(full.statusCode()).as(full.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readValue(full.body(), StartAnswer.class).mode()).isEqualTo(StartAnswer.FULL);
        String base = lastStarted;
        expect2xx(commit(cluster, base, Counts.ZERO, token));

        String wrong = FetchingId.generate(Instant.now());
        HttpResponse<String> mismatch = start11(cluster, FetchingId.generate(Instant.now()), wrong, token);
        expectError(mismatch, 409, ErrorBody.BASE_MISMATCH);
        assertThat(Json.MAPPER.readValue(mismatch.body(), ErrorBody.class).current()).isEqualTo(base);

        HttpResponse<String> delta = start11(cluster, FetchingId.generate(Instant.now()), base, token);
        assertThat(delta.statusCode()).as(delta.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readValue(delta.body(), StartAnswer.class)).isEqualTo(StartAnswer.delta(base));
    }

    @Test
    void deletionsArePagesOfDeltasOnlyAndAKeyIsNeverBothSentAndDeleted() {
        String token = login();
        String cluster = cluster();
        start11(cluster, FetchingId.generate(Instant.now()), null, token);
        String base = lastStarted;
        String uid = UUID.randomUUID().toString();
        String pod = object("v1", "Pod", "shop", "web-1", uid);
        String deletion = Json.MAPPER.writeValueAsString(Deletion.object(uid, "v1", "Pod", "shop", "web-1"));
        expectError(deletions(cluster, base, deletion, token), 400, ErrorBody.BAD_REQUEST);
        expect2xx(page(cluster, base, RecordKind.OBJECTS, List.of(pod), token));
        expect2xx(commit(cluster, base, new Counts(1, 0, 0, 0), token));

        start11(cluster, FetchingId.generate(Instant.now()), base, token);
        String delta = lastStarted;
        expect2xx(page(cluster, delta, RecordKind.OBJECTS, List.of(pod), token));
        expect2xx(deletions(cluster, delta, deletion, token));

        expectError(commit(cluster, delta, new Counts(1, 0, 0, 0, 1), token), 400, ErrorBody.BAD_REQUEST);
    }

    @Test
    void aDeltaWhoseBaseStoppedBeingCurrentIsAMismatchAtItsCommit() {
        String token = login();
        String cluster = cluster();
        start11(cluster, FetchingId.generate(Instant.now()), null, token);
        String base = lastStarted;
        expect2xx(commit(cluster, base, Counts.ZERO, token));
        start11(cluster, FetchingId.generate(Instant.now()), base, token);
        String first = lastStarted;
        start11(cluster, FetchingId.generate(Instant.now()), base, token);
        String second = lastStarted;
        expect2xx(commit(cluster, second, Counts.ZERO, token));

        HttpResponse<String> late = commit(cluster, first, Counts.ZERO, token);

        expectError(late, 409, ErrorBody.BASE_MISMATCH);
        assertThat(Json.MAPPER.readValue(late.body(), ErrorBody.class).current()).isEqualTo(second);
    }

    private HttpResponse<String> start11(String cluster, String fetching, String base, String token) {
        lastStarted = fetching;
        return post(Paths.fetchings(cluster), new FetchingStart(FetchingStart.PROTOCOL_1_1, fetching, base,
                "uid-" + cluster, false, new FetchingStart.Collector("contract", FetchingStart.Collector.CONTINUOUS, 60),
                Instant.now()), token);
    }

    private HttpResponse<String> deletions(String cluster, String fetching, String deletion, String token) {
        return send(HttpRequest.newBuilder(base().resolve(Paths.deletions(cluster, fetching)))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"" + Paths.DELETIONS + "\":[" + deletion + "]}")));
    }

    private static String cluster() {
        return "contract-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String login() {
        HttpResponse<String> answer = post(Paths.LOGIN, key(), null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readValue(answer.body(), LoginResponse.class).accessToken();
    }

    private String start(String cluster, String token) {
        Instant now = Instant.now();
        String fetching = FetchingId.generate(now);
        expect2xx(post(Paths.fetchings(cluster), new FetchingStart(fetching, "uid-" + cluster, false,
                new FetchingStart.Collector("contract"), now), token));
        return fetching;
    }

    private HttpResponse<String> page(String cluster, String fetching, RecordKind kind, List<String> records, String token) {
        String body = "{\"" + kind.field() + "\":[" + String.join(",", records) + "]}";
        return send(HttpRequest.newBuilder(base().resolve(Paths.records(cluster, fetching, kind)))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(body))));
    }

    private HttpResponse<String> commit(String cluster, String fetching, Counts counts, String token) {
        return post(Paths.commit(cluster, fetching), new Commit(counts, Instant.now(), List.of(),
                new Commit.Report((String) null)), token);
    }

    private static String object(String apiVersion, String kind, String namespace, String name, String uid) {
        Map<String, String> metadata = new java.util.LinkedHashMap<>();
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        if (uid != null) {
            metadata.put("uid", uid);
        }
        return Json.MAPPER.writeValueAsString(Map.of("apiVersion", apiVersion, "kind", kind, "metadata", metadata));
    }

    private HttpResponse<String> post(String path, Object body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void expect2xx(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.request().uri() + ": " + answer.body()).isBetween(200, 299);
    }

    private static void expectError(HttpResponse<String> answer, int status, String code) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        JsonNode body = Json.MAPPER.readTree(answer.body());
        assertThat(body.path("error").asString()).isEqualTo(code);
        assertThat(body.path("message").asString()).isNotBlank();
    }
}
