package io.k8scollector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.server.ReceiverServer;
import io.k8scollector.receiver.server.ReceiverSettings;
import io.k8scollector.receiver.store.Database;
import io.k8scollector.receiver.store.Inventory;
import io.k8scollector.receiver.store.RecordFilter;
import io.k8scollector.receiver.store.ReleaseBeforeV8;
import io.k8scollector.receiver.store.ReleaseBeforeV8.OldRecord;
import io.k8scollector.receiver.store.Retention;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The upgrade to the temporal schema under load, as the chart's {@code Recreate} runs it: a
 * database that the release before made (committed snapshots, a fetching still open, the
 * collector's key and token) gets a collector that keeps sending full fetchings while no
 * receiver listens, while the new receiver migrates and starts, and while it is restarted once
 * more. Every request either succeeds or fails in a way the protocol retries (connection
 * refused or closed, 503); afterwards no committed snapshot is lost and each reads exactly as
 * it was sent.
 */
class MigrationUnderLoadTest {

    private static final String CLUSTER = "shop";
    private static final String TOKEN = "token-issued-by-the-release-before";
    /** Objects of each full fetching the collector sends (two pages). */
    private static final int OBJECTS = 120;
    /** Old snapshots, and records in each: enough that the migration takes a while. */
    private static final int OLD_SNAPSHOTS = 3;
    private static final int OLD_RECORDS = 400;
    private static final String OPEN = "000000090000000000000009";

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    @Timeout(240)
    void aCollectorSendingThroughTheUpgradeLosesNoSnapshot(String database, @TempDir Path dir) throws Exception {
        String url = database.equals("sqlite") ? TestDatabases.sqlite(dir) : TestDatabases.freshPostgresSchema();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Map<String, List<JsonNode>> expected = new LinkedHashMap<>();
            List<OldRecord> openFirstPage = releaseBefore(url, expected);
            int port = freePort();
            Collector collector = new Collector(port, openFirstPage);
            Future<?> sending = thread.submit(collector);

            assertThat(collector.refused.tryAcquire(60, TimeUnit.SECONDS)).as("refused while no receiver listens").isTrue();
            Receiver receiver = Receiver.start(url, port);
            collector.awaitCommits(3);
            receiver.close();
            collector.refused.drainPermits();
            assertThat(collector.refused.tryAcquire(60, TimeUnit.SECONDS)).as("refused while restarting").isTrue();
            receiver = Receiver.start(url, port);
            collector.awaitCommits(3);
            collector.stopped = true;
            sending.get(120, TimeUnit.SECONDS);
            receiver.close();

            assertThat(collector.unexpected).isEmpty();
            assertThat(collector.retried).contains("connection refused").isSubsetOf("connection refused",
                    "connection closed", "503");
            assertThat(collector.committed).containsKey(OPEN).hasSizeGreaterThanOrEqualTo(6);
            expected.putAll(collector.committed);
            String last = List.copyOf(collector.committed.keySet()).get(collector.committed.size() - 1);
            try (Database db = Database.open(url)) {
                Inventory inventory = new Inventory(db);
                for (Map.Entry<String, List<JsonNode>> snapshot : expected.entrySet()) {
                    assertThat(objects(inventory, snapshot.getKey())).as("snapshot " + snapshot.getKey())
                            .isEqualTo(byUid(snapshot.getValue()));
                }
                assertThat(objects(inventory, null)).isEqualTo(byUid(expected.get(last)));
            }
        } finally {
            thread.shutdownNow();
            if (database.equals("postgresql")) {
                TestDatabases.dropPostgresSchema(url);
            }
        }
    }

    /**
     * Fills {@code url} as the release before did: committed snapshots (each one's objects into
     * {@code expected}), the collector's key and token, and a fetching it had started and sent a
     * first page of when the upgrade stopped that release; returns that page.
     */
    private static List<OldRecord> releaseBefore(String url, Map<String, List<JsonNode>> expected) throws Exception {
        ReleaseBeforeV8.createSchema(url);
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            Long previous = null;
            for (int s = 1; s <= OLD_SNAPSHOTS; s++) {
                String id = String.format("%08x%016x", s, s);
                int version = s;
                List<OldRecord> records = IntStream.range(0, OLD_RECORDS)
                        .mapToObj(k -> ReleaseBeforeV8.configMap("old-" + k, "old-" + k, k % 10 == 0 ? "v" + version : "v0"))
                        .toList();
                previous = ReleaseBeforeV8.fetching(c, CLUSTER, id, records, previous, true);
                expected.put(id, records.stream().map(r -> Json.MAPPER.readTree(r.body())).toList());
            }
            ReleaseBeforeV8.makeCurrent(c, CLUSTER, previous);
            List<OldRecord> firstPage = List.of(ReleaseBeforeV8.configMap("open-1", "open-1", "v1"),
                    ReleaseBeforeV8.configMap("open-2", "open-2", "v1"));
            ReleaseBeforeV8.fetching(c, CLUSTER, OPEN, firstPage, null, false);
            ReleaseBeforeV8.keyWithToken(c, "AKOLDRELEASE", "old-secret", TOKEN);
            c.commit();
            return firstPage;
        }
    }

    /** Snapshot {@code at}'s objects (null: the current snapshot), by uid. */
    private static List<JsonNode> objects(Inventory inventory, String at) {
        List<JsonNode> objects = new ArrayList<>();
        inventory.list(CLUSTER, RecordKind.OBJECTS, RecordFilter.ALL, at, null, null, 10_000).bodies()
                .forEach(body -> objects.add(Json.MAPPER.readTree(body)));
        return byUid(objects);
    }

    private static List<JsonNode> byUid(List<JsonNode> objects) {
        return objects.stream().sorted(Comparator.comparing(o -> o.get("metadata").get("uid").asString())).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The new receiver on a fixed port: its database opened (which migrates) before it listens, as {@code serve} does. */
    private record Receiver(Database db, ReceiverServer server) implements AutoCloseable {

        static Receiver start(String url, int port) {
            Database db = Database.open(url);
            return new Receiver(db, ReceiverServer.start(ReceiverSettings.onPort(port).withHost("127.0.0.1")
                    .withRetention(new Retention(1000, Duration.ZERO)), db, Clock.systemUTC()));
        }

        @Override
        public void close() {
            server.close();
            db.close();
        }
    }

    /**
     * A CronJob's collector reduced to its requests: it finishes the fetching that the release
     * before had begun, then sends full fetchings one after another until stopped, repeating a
     * request that failed in a way the protocol retries (as the collector's retry policy does,
     * without its backoff) and giving up on any other answer.
     */
    private static final class Collector implements Runnable {

        final Map<String, List<JsonNode>> committed = Collections.synchronizedMap(new LinkedHashMap<>());
        final Set<String> retried = ConcurrentHashMap.newKeySet();
        final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        /** A permit per request refused because nothing listened. */
        final Semaphore refused = new Semaphore(0);
        volatile boolean stopped;

        private final BlockingQueue<String> commits = new LinkedBlockingQueue<>();
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private final int port;
        private final List<OldRecord> openFirstPage;

        Collector(int port, List<OldRecord> openFirstPage) {
            this.port = port;
            this.openFirstPage = openFirstPage;
        }

        /** Waits for {@code n} more commits. */
        void awaitCommits(int n) throws InterruptedException {
            for (int i = 0; i < n; i++) {
                assertThat(commits.poll(60, TimeUnit.SECONDS)).as("commit " + (i + 1) + " of " + n
                        + " (unexpected answers: " + unexpected + ")").isNotNull();
            }
        }

        @Override
        public void run() {
            try {
                List<JsonNode> open = new ArrayList<>(openFirstPage.stream().map(r -> Json.MAPPER.readTree(r.body())).toList());
                List<JsonNode> secondPage = List.of(TestObjects.configMap("open-3", CLUSTER, "open-3", "load", "v1"));
                send(Paths.records(CLUSTER, OPEN, RecordKind.OBJECTS), Map.of("objects", secondPage));
                open.addAll(secondPage);
                commit(OPEN, open);
                for (int n = 1; !stopped; n++) {
                    full(n);
                }
            } catch (Unexpected e) {
                unexpected.add(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Full fetching {@code n}: every object, one of which changes each time, in two pages. */
        private void full(int n) throws InterruptedException {
            String id = FetchingId.generate(Instant.now());
            List<JsonNode> objects = IntStream.range(0, OBJECTS).<JsonNode>mapToObj(k -> TestObjects.configMap("c-" + k,
                    CLUSTER, "c-" + k, "load", k == n % OBJECTS ? "v" + n : "v0")).toList();
            send(Paths.fetchings(CLUSTER), Map.of("fetchingId", id, "clusterUniqueId", "uid-" + CLUSTER,
                    "collector", Map.of("version", "1.0.0"), "startedAt", Instant.now().toString()));
            send(Paths.records(CLUSTER, id, RecordKind.OBJECTS), Map.of("objects", objects.subList(0, OBJECTS / 2)));
            send(Paths.records(CLUSTER, id, RecordKind.OBJECTS), Map.of("objects", objects.subList(OBJECTS / 2, OBJECTS)));
            commit(id, objects);
        }

        private void commit(String id, List<JsonNode> objects) throws InterruptedException {
            send(Paths.commit(CLUSTER, id), Map.of("counts", Map.of("objects", objects.size()), "skipped", List.of()));
            committed.put(id, objects);
            commits.add(id);
        }

        /** POSTs {@code body} until it is answered 2xx; throws {@link Unexpected} for an answer the protocol does not retry. */
        private void send(String path, Object body) throws InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Encoding", "gzip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(TestReceiver.gzip(Json.MAPPER.writeValueAsBytes(body))))
                    .build();
            while (true) {
                try {
                    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() / 100 == 2) {
                        return;
                    }
                    if (answer.statusCode() != 503) {
                        throw new Unexpected(path + " answered " + answer.statusCode() + " " + answer.body());
                    }
                    retried.add("503");
                } catch (ConnectException e) {
                    retried.add("connection refused");
                    refused.release();
                } catch (IOException e) {
                    // The receiver stopped with this connection open (idle in the client's pool, or mid-request).
                    retried.add("connection closed");
                }
                Thread.sleep(20);
            }
        }
    }

    /** An answer that a collector would not retry. */
    private static final class Unexpected extends RuntimeException {
        Unexpected(String message) {
            super(message);
        }
    }
}
