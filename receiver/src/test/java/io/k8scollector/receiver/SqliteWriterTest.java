package io.k8scollector.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k8scollector.receiver.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent writes to SQLite share commits, yet each one is kept or undone on its own; a new
 * database has large pages, an existing one keeps its own.
 */
class SqliteWriterTest {

    @Test
    void concurrentWritesCommitTogetherButAFailedOneIsUndoneAlone(@TempDir Path dir) throws Exception {
        int writes = 200;
        try (Database db = Database.open(TestDatabases.sqlite(dir))) {
            ExecutorService threads = Executors.newFixedThreadPool(16);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < writes; i++) {
                String id = "cluster-" + i;
                boolean fails = i % 3 == 0;
                results.add(threads.submit(() -> db.write(c -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO clusters (id, unique_id) VALUES (?, ?)")) {
                        ps.setString(1, id);
                        ps.setString(2, "uid-" + id);
                        ps.executeUpdate();
                    }
                    if (fails) {
                        throw new IllegalStateException("refused " + id);
                    }
                    return id;
                })));
            }
            List<String> written = new ArrayList<>();
            for (int i = 0; i < writes; i++) {
                if (i % 3 == 0) {
                    Future<String> failed = results.get(i);
                    assertThatThrownBy(failed::get).hasRootCauseMessage("refused cluster-" + i);
                } else {
                    written.add(results.get(i).get());
                }
            }
            threads.shutdown();
            List<String> stored = db.read(c -> {
                List<String> ids = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM clusters ORDER BY id");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            });
            assertThat(stored).containsExactlyInAnyOrderElementsOf(written).hasSize(writes - 67);
        }
    }

    @Test
    void aNewDatabaseHas64KibPagesInWalModeAndAnExistingOneKeepsItsPageSize(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(TestDatabases.sqlite(dir))) {
            assertThat(pragma(db, "page_size")).isEqualTo("65536");
            assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
        }
        Path old = dir.resolve("old");
        Files.createDirectories(old);
        try (Connection c = DriverManager.getConnection(TestDatabases.sqlite(old)); Statement s = c.createStatement()) {
            // As the receiver made its databases before: 4 KiB pages, then WAL, which fixes them.
            s.execute("PRAGMA page_size = 4096");
            s.execute("PRAGMA journal_mode = WAL");
        }
        try (Database db = Database.open(TestDatabases.sqlite(old))) {
            assertThat(pragma(db, "page_size")).isEqualTo("4096");
            assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
        }
    }

    private static String pragma(Database db, String name) {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
                rs.next();
                return rs.getString(1);
            }
        });
    }
}
