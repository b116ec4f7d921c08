package io.k8scollector.receiver;

/** {@link ReceiverContract} on PostgreSQL, in a schema of its own. */
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
}
