package io.k8scollector.collector.listing;

import io.fabric8.kubernetes.client.http.AsyncBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A list response's body as a stream, fed by the HTTP client's asynchronous body. fabric8's own
 * stream for it copies byte by byte and asks for the next buffers only once it has run dry, from
 * the reading thread, which then also decrypts them; this one copies in bulk and asks for more as
 * soon as fewer than {@value #READ_AHEAD_BYTES} bytes wait, usually from the HTTP client's thread
 * that just delivered, so that receiving and decrypting go on while the listing thread parses. It
 * holds at most about that much plus one delivery.
 */
final class BodyStream extends InputStream implements AsyncBody.Consumer<List<ByteBuffer>> {

    static final int READ_AHEAD_BYTES = 256 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<ByteBuffer> buffers = new ArrayDeque<>();
    private AsyncBody body;
    private long waiting;
    private boolean requested;
    private boolean done;
    private boolean closed;
    private Throwable failure;

    /** Starts reading {@code body}, the body of the response whose headers just arrived; cancels it if this stream was closed first. */
    void start(AsyncBody body) {
        boolean abandoned;
        lock.lock();
        try {
            this.body = body;
            abandoned = closed;
        } finally {
            lock.unlock();
        }
        if (abandoned) {
            body.cancel();
            return;
        }
        body.done().whenComplete((ignored, error) -> {
            lock.lock();
            try {
                done = true;
                failure = error;
                arrived.signalAll();
            } finally {
                lock.unlock();
            }
        });
        askIfRoom();
    }

    @Override
    public void consume(List<ByteBuffer> delivered, AsyncBody from) {
        lock.lock();
        try {
            requested = false;
            if (!closed) {
                for (ByteBuffer buffer : delivered) {
                    if (buffer.hasRemaining()) {
                        buffers.add(buffer);
                        waiting += buffer.remaining();
                    }
                }
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        askIfRoom();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int count;
        lock.lock();
        try {
            while (buffers.isEmpty()) {
                if (closed) {
                    throw new IOException("The response body was closed.");
                }
                if (failure != null) {
                    throw new IOException("The response body broke off: " + failure.getMessage(), failure);
                }
                if (done) {
                    return -1;
                }
                arrived.await();
            }
            ByteBuffer first = buffers.peek();
            count = Math.min(length, first.remaining());
            first.get(into, offset, count);
            if (!first.hasRemaining()) {
                buffers.poll();
            }
            waiting -= count;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while reading a list response.");
        } finally {
            lock.unlock();
        }
        askIfRoom();
        return count;
    }

    /** Asks the HTTP client for the next buffers unless a request is out, the body ended or enough wait. */
    private void askIfRoom() {
        AsyncBody source;
        lock.lock();
        try {
            if (body == null || requested || done || closed || waiting >= READ_AHEAD_BYTES) {
                return;
            }
            requested = true;
            source = body;
        } finally {
            lock.unlock();
        }
        // outside the lock: the client may deliver on this very thread, or wait for its own locks
        source.consume();
    }

    @Override
    public void close() {
        AsyncBody source;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            buffers.clear();
            waiting = 0;
            arrived.signalAll();
            source = done ? null : body;
        } finally {
            lock.unlock();
        }
        if (source != null) {
            source.cancel();
        }
    }
}
