package io.k8scollector.collector.listing;

import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-over between the thread that reads a type's pages and the one that parses, redacts
 * and emits their items: batches of items in at most {@value #BUFFERS} buffers of
 * {@value #BUFFER_BYTES} bytes (a larger one for an item that does not fit), so that what is in
 * flight stays about a megabyte however large the pages are. The reader waits for a free buffer;
 * the parser waits for a batch. The reader ends the pipe with what it concluded; the parser
 * closes it when it stops, which makes the reader's next wait fail.
 *
 * @param <T> what the reader concludes when it is done
 */
final class ItemPipe<T> {

    static final int BUFFER_BYTES = 256 * 1024;
    static final int BUFFERS = 4;
    /** Batches that wait at most; with the one being filled and the one being parsed, all the buffers. */
    static final int QUEUED = 2;

    /** The parser stopped: the reader has nothing more to do. */
    static final class Closed extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        Closed() {
            super("The listing stopped reading its pages.");
        }
    }

    /** What the parser takes next: a batch, or the end with the reader's conclusion or failure. */
    sealed interface Next<T> permits Batch, End {}

    record Batch<T>(ItemBatch items) implements Next<T> {}

    record End<T>(T concluded, RuntimeException failure) implements Next<T> {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private final ArrayDeque<Next<T>> queue = new ArrayDeque<>();
    private int created;
    private boolean closed;

    /**
     * A buffer of at least {@code bytes} bytes for the reader to fill: a pooled one, waiting for
     * one to be free when all are in use, or a larger one of its own.
     */
    byte[] buffer(int bytes) throws InterruptedIOException {
        if (bytes > BUFFER_BYTES) {
            return new byte[bytes];
        }
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new Closed();
                }
                if (!free.isEmpty()) {
                    return free.pop();
                }
                if (created < BUFFERS) {
                    created++;
                    return new byte[BUFFER_BYTES];
                }
                changed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for a buffer to read a page into.");
        } finally {
            lock.unlock();
        }
    }

    /** Gives a buffer back; only the pooled size is kept. */
    void release(byte[] buffer) {
        if (buffer.length != BUFFER_BYTES) {
            return;
        }
        lock.lock();
        try {
            free.push(buffer);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands a batch to the parser, waiting while {@value #QUEUED} wait already (which bounds the
     * batches of large items too); its buffer is the parser's until released.
     */
    void put(ItemBatch batch) throws InterruptedIOException {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new Closed();
                }
                if (queue.size() < QUEUED) {
                    queue.add(new Batch<>(batch));
                    changed.signalAll();
                    return;
                }
                changed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while handing a page's items on.");
        } finally {
            lock.unlock();
        }
    }

    /** The reader is done: with {@code concluded}, or with {@code failure} when it is not null. */
    void end(T concluded, RuntimeException failure) {
        lock.lock();
        try {
            queue.add(new End<>(concluded, failure));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next batch, or the end; waits for one. */
    Next<T> take() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                changed.await();
            }
            Next<T> next = queue.poll();
            changed.signalAll();
            return next;
        } finally {
            lock.unlock();
        }
    }

    /** The parser stops: the reader's next wait fails, and what is queued is dropped. */
    void close() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
