package io.k8scollector.receiver;

/** {@link InventoryQueryContract} on PostgreSQL, in a schema of its own. */
class PostgresInventoryQueryTest extends InventoryQueryContract {

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
