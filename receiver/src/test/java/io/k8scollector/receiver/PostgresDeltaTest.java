package io.k8scollector.receiver;

/** {@link DeltaContract} on PostgreSQL, in a schema of its own. */
class PostgresDeltaTest extends DeltaContract {

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
