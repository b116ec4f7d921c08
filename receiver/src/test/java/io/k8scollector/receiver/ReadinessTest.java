package io.k8scollector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /readyz} follows the database, {@code /healthz} only the process, on both databases. */
class ReadinessTest {

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
