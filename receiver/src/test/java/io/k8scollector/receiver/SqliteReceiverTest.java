package io.k8scollector.receiver;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link ReceiverContract} on SQLite. */
class SqliteReceiverTest extends ReceiverContract {

    @TempDir
    static Path dir;

    @Override
    String databaseUrl() {
        return TestDatabases.sqlite(dir);
    }
}
