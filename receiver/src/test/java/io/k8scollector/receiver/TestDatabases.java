package io.k8scollector.receiver;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** The two databases every store test runs on: a SQLite file, and a fresh PostgreSQL schema. */
public final class TestDatabases {

    static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private TestDatabases() {}

    public static String sqlite(Path dir) {
        return "jdbc:sqlite:" + dir.resolve("receiver.db");
    }

    /** A new empty schema's URL; fails with how to start PostgreSQL when it is down. */
    public static String freshPostgresSchema() {
        String schema = "receiver_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at 127.0.0.1:5432 (database test, user postgres,"
                    + " trust): start it with bin/setup, or run the suite with bin/test. " + e.getMessage(), e);
        }
        return POSTGRES + "&currentSchema=" + schema;
    }

    /** Drops the schema a {@link #freshPostgresSchema()} URL names. */
    public static void dropPostgresSchema(String url) {
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop test schema " + schema, e);
        }
    }
}
