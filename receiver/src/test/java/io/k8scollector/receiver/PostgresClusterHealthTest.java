package io.k8scollector.receiver;

/** {@link ClusterHealthContract} on PostgreSQL: a schema of its own per test. */
class PostgresClusterHealthTest extends ClusterHealthContract {

    @Override
    String freshDatabase() {
        return TestDatabases.freshPostgresSchema();
    }

    @Override
    void drop(String url) {
        TestDatabases.dropPostgresSchema(url);
    }
}
