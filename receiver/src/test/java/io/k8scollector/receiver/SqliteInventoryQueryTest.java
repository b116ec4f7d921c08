package io.k8scollector.receiver;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link InventoryQueryContract} on SQLite. */
class SqliteInventoryQueryTest extends InventoryQueryContract {

    @TempDir
    static Path dir;

    @Override
    String databaseUrl() {
        return TestDatabases.sqlite(dir);
    }
}
