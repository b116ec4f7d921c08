package io.k8scollector.receiver;

import static org.assertj.core.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * The one test that fails when PostgreSQL is down, with a line that says how to start it; the
 * tests that need PostgreSQL are then skipped instead of each failing with a connection error.
 */
class PostgresIsRunningTest {

    @Test
    void postgresIsReachableForTheStoreTests() {
        TestDatabases.postgresProblem().ifPresent(problem -> fail(problem));
    }
}
