package io.k8scollector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.receiver.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** {@link ReceiverContract} on PostgreSQL, in a schema of its own; and its storage settings. */
class PostgresReceiverTest extends ReceiverContract {

    private String url;

    @Override
    String databaseUrl() {
        url = TestDatabases.freshPostgresSchema();
        return url;
    }

    @Override
    void dropDatabase() {
        TestDatabases.dropPostgresSchema(url);
    }

    @Test
    void bodiesUnder8KbStayUncompressedInTheRowAndLargerOnesAreCompressed() {
        String schema = TestDatabases.freshPostgresSchema();
        try (Database db = Database.open(schema)) {
            String small = "{\"data\":\"" + "x".repeat(4000) + "\"}";
            String large = "{\"data\":\"" + "x".repeat(40_000) + "\"}";
            String compression = db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO bodies (hash, body) VALUES (?, ?), (?, ?)")) {
                    ps.setBytes(1, new byte[] {1});
                    ps.setBytes(2, TestReceiver.utf8(small));
                    ps.setBytes(3, new byte[] {2});
                    ps.setBytes(4, TestReceiver.utf8(large));
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT string_agg(COALESCE(pg_column_compression(body), 'none'), ',' ORDER BY hash) FROM bodies");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertThat(compression).isEqualTo("none,pglz");
        } finally {
            TestDatabases.dropPostgresSchema(schema);
        }
    }
}
