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
    void bodiesAreCompressedWithLz4AndStayInTheRow() {
        String schema = TestDatabases.freshPostgresSchema();
        try (Database db = Database.open(schema)) {
            byte[] random = new byte[4000];
            new java.util.Random(7).nextBytes(random);
            String stored = db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO bodies (cluster_id, hash, body) VALUES ('c', ?, ?), ('c', ?, ?), ('c', ?, ?)")) {
                    ps.setBytes(1, new byte[] {1});
                    ps.setBytes(2, TestReceiver.utf8("{\"data\":\"" + "x".repeat(4000) + "\"}"));
                    ps.setBytes(3, new byte[] {2});
                    ps.setBytes(4, TestReceiver.utf8("{\"data\":\"" + "x".repeat(40_000) + "\"}"));
                    ps.setBytes(5, new byte[] {3});
                    ps.setBytes(6, random);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT string_agg(COALESCE(pg_column_compression(body), 'none'), ',' ORDER BY hash)"
                                + " || ' toast=' || pg_relation_size((SELECT reltoastrelid FROM pg_class WHERE oid = 'bodies'::regclass))"
                                + " FROM bodies");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            // What lz4 cannot shrink (random bytes) stays as it is, in the row too.
            assertThat(stored).isEqualTo("lz4,lz4,none toast=0");
        } finally {
            TestDatabases.dropPostgresSchema(schema);
        }
    }
}
