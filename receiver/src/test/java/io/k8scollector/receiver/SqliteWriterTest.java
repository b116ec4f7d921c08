package io.k8scollector.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k8scollector.receiver.store.Database;
import io.k8scollector.receiver.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent writes to SQLite share commits, yet each one is kept or undone on its own; a new
 * database has large pages, an existing one keeps its own.
 */
class SqliteWriterTest {

    @Test
    @Timeout(120)
    void concurrentWritesCommitTogetherButAFailedOneIsUndoneAlone(@TempDir Path dir) throws Exception {
        int writes = 200;
        String url = TestDatabases.sqlite(dir);
        // How many earlier requests' rows each request saw in its own transaction that nobody
        // else could see yet: more than zero means that requests shared a transaction.
        Queue<Integer> uncommittedSeen = new ConcurrentLinkedQueue<>();
        try (Database db = Database.open(url); Connection outside = DriverManager.getConnection(url)) {
            ExecutorService threads = Executors.newFixedThreadPool(16);
            CountDownLatch queuedUp = new CountDownLatch(15);
            // The first request holds the writer until the others are on their way, so they queue up.
            Future<String> first = threads.submit(() -> db.write(c -> {
                try {
                    return queuedUp.await(30, TimeUnit.SECONDS) ? "held" : "not held";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "interrupted";
                }
            }));
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < writes; i++) {
                String id = "cluster-" + i;
                boolean fails = i % 3 == 0;
                results.add(threads.submit(() -> {
                    queuedUp.countDown();
                    return db.write(c -> {
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO clusters (id, unique_id) VALUES (?, ?)")) {
                            ps.setString(1, id);
                            ps.setString(2, "uid-" + id);
                            ps.executeUpdate();
                        }
                        uncommittedSeen.add(count(c) - count(outside) - 1);
                        if (fails) {
                            throw new IllegalStateException("refused " + id);
                        }
                        return id;
                    });
                }));
            }
            assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo("held");
            List<String> written = new ArrayList<>();
            for (int i = 0; i < writes; i++) {
                if (i % 3 == 0) {
                    Future<String> failed = results.get(i);
                    assertThatThrownBy(() -> failed.get(60, TimeUnit.SECONDS)).hasRootCauseMessage("refused cluster-" + i);
                } else {
                    written.add(results.get(i).get(60, TimeUnit.SECONDS));
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
            assertThat(uncommittedSeen).hasSize(writes).allMatch(seen -> seen >= 0)
                    .as("some requests were committed together with earlier ones").anyMatch(seen -> seen > 0);
        }
    }

    @Test
    @Timeout(120)
    void writesThatRaceCloseAnswerInsteadOfWaitingForever(@TempDir Path dir) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                Database db = Database.open(TestDatabases.sqlite(dir.resolve("round-" + round)));
                CountDownLatch started = new CountDownLatch(8);
                List<Future<Integer>> writers = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    writers.add(threads.submit(() -> {
                        started.countDown();
                        int done = 0;
                        while (true) {
                            try {
                                db.write(c -> 1);
                                done++;
                            } catch (StoreException closed) {
                                return done;
                            }
                        }
                    }));
                }
                started.await(30, TimeUnit.SECONDS);
                db.close();
                for (Future<Integer> writer : writers) {
                    assertThat(writer.get(30, TimeUnit.SECONDS)).isNotNegative();
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static int count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM clusters")) {
            rs.next();
            return rs.getInt(1);
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
