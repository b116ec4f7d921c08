package io.k8scollector.receiver;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/** {@link ClusterHealthContract} on SQLite: a file of its own per test. */
class SqliteClusterHealthTest extends ClusterHealthContract {

    @TempDir
    Path dir;

    @Override
    String freshDatabase() {
        return "jdbc:sqlite:" + dir.resolve(UUID.randomUUID() + ".db");
    }

    @Override
    void drop(String url) {}
}
