package io.k8scollector.receiver;

import static io.k8scollector.receiver.TestObjects.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.server.ReceiverSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@link ClusterHealthContract} on PostgreSQL, a schema of its own per test; and two replicas on one database. */
class PostgresClusterHealthTest extends ClusterHealthContract {

    @Override
    String freshDatabase() {
        return TestDatabases.freshPostgresSchema();
    }

    @Override
    void drop(String url) {
        TestDatabases.dropPostgresSchema(url);
    }

    @Test
    void twoReplicasOnOneDatabaseShowOneHealthWhicheverTookEachRequest() {
        String url = freshDatabase();
        TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        ReceiverSettings settings = ReceiverSettings.onPort(0).withHost("127.0.0.1");
        try (TestReceiver a = new TestReceiver(url, settings, clock); TestReceiver b = new TestReceiver(url, settings, clock)) {
            String f = FetchingId.generate(clock.instant());
            a.start("shared", f, "uid-shared");
            for (int i = 0; i < 4; i++) {
                clock.advance(Duration.ofMillis(700));
                (i % 2 == 0 ? b : a).page("shared", f, RecordKind.OBJECTS,
                        List.of(configMap("s" + i, "a", "n" + i, "x", "1")));
            }
            Instant lastPage = clock.instant();
            TestReceiver.expect204(b.commit("shared", f, Map.of("counts", Map.of("objects", 4))));
            JsonNode viaA = a.getJson("/v1/clusters/shared");
            assertThat(viaA).isEqualTo(b.getJson("/v1/clusters/shared"));
            assertThat(viaA.get("health").asString()).isEqualTo("ok");
            assertThat(Instant.parse(viaA.get("lastSeenAt").asString())).isEqualTo(lastPage);
            TestReceiver.expect204(a.post(Paths.abort("shared", f),
                    Map.of("reason", "failed", "message", "gone")));
            assertThat(b.getJson("/v1/clusters/shared").get("health").asString()).isEqualTo("failing");
        } finally {
            drop(url);
        }
    }
}
