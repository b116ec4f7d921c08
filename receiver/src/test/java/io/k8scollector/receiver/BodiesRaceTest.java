package io.k8scollector.receiver;

import static io.k8scollector.receiver.TestObjects.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.RecordKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retention deleting bodies while pages point records at them, on both databases; and
 * {@code /readyz} once the database is gone.
 */
class BodiesRaceTest {

    private static final int ROUNDS = 60;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aPageNeverPointsAtABodyThatRetentionDeletes(String database, @TempDir Path dir) throws Exception {
        String url = database.equals("sqlite") ? TestDatabases.sqlite(dir) : TestDatabases.freshPostgresSchema();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (TestReceiver receiver = new TestReceiver(url, 1)) {
            String open = FetchingId.generate(Instant.now());
            receiver.start("writer", open, "uid-writer");
            AtomicInteger committed = new AtomicInteger(-1);
            // Each snapshot of "retained" replaces the one before (retain 1): its body is deleted
            // just as the other thread sends a page holding the same body to another cluster.
            Future<?> retention = threads.submit(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    receiver.snapshot("retained", FetchingId.generate(Instant.now()),
                            List.of(configMap("shared", "a", "cm", "x", "v" + i)), List.of());
                    committed.set(i);
                }
            });
            Future<?> pages = threads.submit(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    int latest = Math.max(0, committed.get());
                    receiver.page("writer", open, RecordKind.OBJECTS, List.of(configMap("shared", "a", "cm", "x", "v" + latest)));
                    assertThat(dangling(receiver)).as("records whose body is gone, round " + i).isZero();
                }
            });
            retention.get(120, TimeUnit.SECONDS);
            pages.get(120, TimeUnit.SECONDS);

            assertThat(dangling(receiver)).isZero();
            TestReceiver.expect204(receiver.commit("writer", open, Map.of("counts", Map.of("objects", 1))));
            assertThat(receiver.getJson("/v1/clusters/writer/objects").get("items")).hasSize(1);
        } finally {
            threads.shutdownNow();
            if (!database.equals("sqlite")) {
                TestDatabases.dropPostgresSchema(url);
            }
        }
    }

    private static long dangling(TestReceiver receiver) {
        return receiver.db.read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM records r"
                    + " WHERE NOT EXISTS (SELECT 1 FROM bodies b WHERE b.hash = r.body_hash)")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void readinessFailsOnceTheDatabaseIsGoneWhileLivenessStays(String database, @TempDir Path dir) {
        String url = database.equals("sqlite") ? TestDatabases.sqlite(dir) : TestDatabases.freshPostgresSchema();
        try (TestReceiver receiver = new TestReceiver(url, 3)) {
            assertThat(receiver.get("/readyz").statusCode()).isEqualTo(200);

            if (database.equals("sqlite")) {
                receiver.db.close();
            } else {
                TestDatabases.dropPostgresSchema(url);
            }

            assertThat(receiver.get("/readyz").statusCode()).isEqualTo(503);
            assertThat(receiver.get("/readyz").body()).contains("\"error\":\"unavailable\"");
            assertThat(receiver.get("/healthz").statusCode()).isEqualTo(200);
        }
    }
}
