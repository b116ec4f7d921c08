package io.k8scollector.receiver;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/** The two databases every store test runs on: a SQLite file, and a fresh PostgreSQL schema. */
public final class TestDatabases {

    static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private TestDatabases() {}

    public static String sqlite(Path dir) {
        return "jdbc:sqlite:" + dir.resolve("receiver.db");
    }

    /** Why PostgreSQL cannot be used, asked once per test JVM; empty when it can. */
    private static volatile Optional<String> postgresProblem;

    /**
     * Why the tests cannot reach PostgreSQL, in one line that says how to start it; empty when
     * they can. {@code PostgresIsRunningTest} fails with it, so that a build without PostgreSQL
     * fails once, clearly, while the tests that need it are skipped.
     */
    public static Optional<String> postgresProblem() {
        Optional<String> problem = postgresProblem;
        if (problem == null) {
            try (Connection c = DriverManager.getConnection(POSTGRES + "&connectTimeout=5")) {
                problem = Optional.empty();
            } catch (SQLException e) {
                problem = Optional.of("PostgreSQL is not reachable at 127.0.0.1:5432 (database test, user postgres, trust): "
                        + "start it with bin/setup, or with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) "
                        + "main start`, then build again (" + e.getMessage() + ")");
            }
            postgresProblem = problem;
        }
        return problem;
    }

    /**
     * A new empty schema's URL. When PostgreSQL is down, the calling test is skipped (aborted):
     * {@code PostgresIsRunningTest} is the one that fails, saying how to start it.
     */
    public static String freshPostgresSchema() {
        postgresProblem().ifPresent(problem -> Assumptions.abort("Skipped: " + problem));
        String schema = "receiver_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the test schema " + schema + ": " + e.getMessage(), e);
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
