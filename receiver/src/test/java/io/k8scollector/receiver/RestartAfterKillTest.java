package io.k8scollector.receiver;

import static io.k8scollector.receiver.TestObjects.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.LoginRequest;
import io.k8scollector.protocol.LoginResponse;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.keys.AccessKeys;
import io.k8scollector.receiver.keys.NewKey;
import io.k8scollector.receiver.keys.Scope;
import io.k8scollector.receiver.store.Database;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** A receiver process killed with SIGKILL in the middle of a fetching keeps every committed snapshot. */
class RestartAfterKillTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aCommittedSnapshotSurvivesSigkillMidFetching(String database, @TempDir Path dir) throws Exception {
        String url = database.equals("sqlite") ? TestDatabases.sqlite(dir) : TestDatabases.freshPostgresSchema();
        NewKey key;
        try (Database db = Database.open(url)) {
            key = new AccessKeys(db).create(List.of(), EnumSet.allOf(Scope.class), Instant.now());
        }
        try {
            int port = freePort();
            Process receiver = serve(url, port, dir);
            String token = login(port, key);
            String committed = FetchingId.generate(Instant.now().minusSeconds(1));
            post(port, token, Paths.fetchings("kill"), Map.of("fetchingId", committed, "clusterUniqueId", "u"));
            post(port, token, Paths.records("kill", committed, RecordKind.OBJECTS), Map.of("objects",
                    List.of(configMap("k1", "a", "one", "x", "1"), configMap("k2", "a", "two", "x", "2"))));
            post(port, token, Paths.commit("kill", committed), Map.of("counts", Map.of("objects", 2)));
            String open = FetchingId.generate(Instant.now());
            post(port, token, Paths.fetchings("kill"), Map.of("fetchingId", open, "clusterUniqueId", "u"));
            post(port, token, Paths.records("kill", open, RecordKind.OBJECTS),
                    Map.of("objects", List.of(configMap("k3", "a", "three", "x", "3"))));

            receiver.destroyForcibly().waitFor();
            assertThat(receiver.exitValue()).isEqualTo(137);

            Process restarted = serve(url, port, dir);
            try {
                JsonNode objects = get(port, token, "/v1/clusters/kill/objects");
                assertThat(objects.get("items").valueStream().map(o -> o.get("metadata").get("name").asString()))
                        .containsExactlyInAnyOrder("one", "two");
                assertThat(get(port, token, "/v1/clusters").toString()).contains(committed);
                post(port, token, Paths.commit("kill", open), Map.of("counts", Map.of("objects", 1)));
                assertThat(get(port, token, "/v1/clusters/kill/objects").get("items")).hasSize(1);
            } finally {
                restarted.destroyForcibly().waitFor();
            }
        } finally {
            if (!database.equals("sqlite")) {
                TestDatabases.dropPostgresSchema(url);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts {@code serve} as a child JVM on this test's classpath and waits until it answers. */
    private Process serve(String url, int port, Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.k8scollector.receiver.cli.Main",
                "serve", "--host", "127.0.0.1", "--port", Integer.toString(port), "--db", url)
                .redirectErrorStream(true).redirectOutput(dir.resolve("receiver-" + port + ".log").toFile()).start();
        for (int attempt = 0; attempt < 600 && process.isAlive(); attempt++) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return process;
                }
            } catch (ConnectException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("The receiver did not start; see " + dir.resolve("receiver-" + port + ".log"));
    }

    private String login(int port, NewKey key) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + Paths.LOGIN))
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(
                        new LoginRequest(key.accessKey(), key.secretKey())))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return Json.MAPPER.readValue(answer.body(), LoginResponse.class).accessToken();
    }

    private void post(int port, String token, String path, Object body) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path + " " + answer.body()).isEqualTo(204);
    }

    private JsonNode get(int port, String token, String path) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path + " " + answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }
}
