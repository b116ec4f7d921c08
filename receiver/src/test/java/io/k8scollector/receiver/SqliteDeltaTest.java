package io.k8scollector.receiver;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link DeltaContract} on SQLite. */
class SqliteDeltaTest extends DeltaContract {

    @TempDir
    static Path dir;

    @Override
    String databaseUrl() {
        return TestDatabases.sqlite(dir);
    }
}
