package io.k8scollector.receiver.store;

import static org.assertj.core.api.Assertions.fail;

import io.k8scollector.receiver.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Holds the next page write, once armed, where it has looked up its bodies ({@link
 * BodiesLookedUp}: it holds its locks then), until released; with the waits that the race tests
 * built on it share.
 */
final class HeldPage implements BodiesLookedUp {

    private final long timeoutSeconds;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    /** {@code timeoutSeconds}: the longest a page is held, and every wait of {@link #awaitReached} and the others. */
    HeldPage(long timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    void arm() {
        armed.set(true);
    }

    void release() {
        released.countDown();
    }

    /** Whether the armed page write reached its lookup (and is held there) within the timeout. */
    boolean awaitReached() throws InterruptedException {
        return reached.await(timeoutSeconds, TimeUnit.SECONDS);
    }

    @Override
    public void reached() {
        if (!armed.compareAndSet(true, false)) {
            return;
        }
        reached.countDown();
        try {
            if (!released.await(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The held page write was not released within " + timeoutSeconds + " s.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while holding a page write.", e);
        }
    }

    /**
     * True once {@code waits} says that {@code other}, running beside the held page, waits for
     * it; false when {@code other} finished without waiting; fails past the timeout.
     */
    boolean awaitWaitingOrDone(BooleanSupplier waits, FutureTask<?> other) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (waits.getAsBoolean()) {
                return true;
            }
            if (other.isDone()) {
                return false;
            }
            Thread.sleep(5);
        }
        return fail("The other write neither finished nor waited for the held page within " + timeoutSeconds + " s.");
    }

    /** Whether {@code thread} is parked in SQLite's writer queue: waiting for the write that holds the writer. */
    static boolean queuedOnTheWriter(Thread thread) {
        return thread.getState() == Thread.State.WAITING && java.util.Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(SqliteWriter.class.getName()));
    }

    /** {@code work} started on a thread of its own named {@code name}. */
    static FutureTask<Void> started(String name, Runnable work) {
        FutureTask<Void> task = new FutureTask<>(work, null);
        new Thread(task, name).start();
        return task;
    }

    /** A test body given a database and a store whose page writes a {@link HeldPage} can hold. */
    @FunctionalInterface
    interface StoreTest {
        void run(Database db, Snapshots snapshots) throws Exception;
    }

    /**
     * Runs {@code test} on a database of the kind named (a SQLite file in {@code dir}, or a fresh
     * PostgreSQL schema whose URL gets {@code postgresOptions}), with a store that keeps {@code
     * retention}, counts fetchings idle past {@code idle} and whose page writes this holds.
     */
    void inDatabase(String database, Path dir, String postgresOptions, Retention retention, Duration idle, StoreTest test)
            throws Exception {
        String url = database.equals("sqlite") ? TestDatabases.sqlite(dir) : TestDatabases.freshPostgresSchema();
        try (Database db = Database.open(database.equals("sqlite") ? url : url + postgresOptions)) {
            test.run(db, new Snapshots(db, retention, idle, 4, this));
        } finally {
            release();
            if (!database.equals("sqlite")) {
                TestDatabases.dropPostgresSchema(url);
            }
        }
    }
}
