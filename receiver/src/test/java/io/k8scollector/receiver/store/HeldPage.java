package io.k8scollector.receiver.store;

import static org.assertj.core.api.Assertions.fail;

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
}
