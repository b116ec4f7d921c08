package io.k8scollector.receiver.store;

import static io.k8scollector.receiver.TestObjects.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.FetchingId;
import io.k8scollector.receiver.TestDatabases;
import io.k8scollector.receiver.TestReceiver;
import io.k8scollector.receiver.server.ReceiverSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/clusters} and {@code GET /v1/clusters/{id}} read each cluster's snapshot,
 * activity and health in one statement (besides the token's), whatever the number of clusters,
 * and read the rows of the page they answer with, not every cluster's.
 */
class ClusterListingCostTest {

    /** What one request cost the database: statements prepared, rows read. */
    private record Cost(int statements, int rows) {}

    private final List<String> statements = Collections.synchronizedList(new ArrayList<>());
    private final List<String> rows = Collections.synchronizedList(new ArrayList<>());

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theListingCostsThePageNotTheNumberOfClusters(String database, @TempDir Path dir) {
        String url = database.equals("sqlite") ? TestDatabases.sqlite(dir) : TestDatabases.freshPostgresSchema();
        try (TestReceiver receiver = new TestReceiver(Database.open(url, statements::add, rows::add),
                ReceiverSettings.onPort(0).withHost("127.0.0.1").withRetention(new Retention(5, Duration.ZERO)),
                Clock.systemUTC())) {
            clusters(receiver, 0, 3);
            Cost page = cost(receiver, "/v1/clusters?limit=2");
            Cost one = cost(receiver, "/v1/clusters/c001");
            Cost all = cost(receiver, "/v1/clusters");
            assertThat(page).isEqualTo(new Cost(2, 1 + 3));
            assertThat(one).isEqualTo(new Cost(2, 1 + 1));

            clusters(receiver, 3, 40);
            assertThat(cost(receiver, "/v1/clusters?limit=2")).isEqualTo(page);
            assertThat(cost(receiver, "/v1/clusters/c001")).isEqualTo(one);
            assertThat(cost(receiver, "/v1/clusters")).isEqualTo(new Cost(all.statements(), 1 + 40));

            JsonNode first = receiver.getJson("/v1/clusters?limit=2");
            assertThat(first.get("items").valueStream().map(c -> c.get("id").asString())).containsExactly("c000", "c001");
            JsonNode second = receiver.getJson("/v1/clusters?limit=2&continue=" + first.get("continue").asString());
            assertThat(second.get("items").valueStream().map(c -> c.get("id").asString())).containsExactly("c002", "c003");
            assertThat(second.get("items").get(0).get("health").asString()).isEqualTo("ok");
            assertThat(second.get("items").get(0).get("objectCount").asLong()).isEqualTo(1);
        } finally {
            if (database.equals("postgresql")) {
                TestDatabases.dropPostgresSchema(url);
            }
        }
    }

    /** Clusters c{from} to c{to - 1}, each with a committed snapshot of one object. */
    private static void clusters(TestReceiver receiver, int from, int to) {
        for (int i = from; i < to; i++) {
            String id = String.format("c%03d", i);
            receiver.snapshot(id, FetchingId.generate(Instant.now()), List.of(configMap("u" + i, "a", "one", "x", "1")),
                    List.of());
        }
    }

    private Cost cost(TestReceiver receiver, String path) {
        statements.clear();
        rows.clear();
        receiver.getJson(path);
        return new Cost(statements.size(), rows.size());
    }
}
