package io.k8scollector.collector.watching;

import io.fabric8.kubernetes.client.http.AsyncBody;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A watch response's body cut into its newline-delimited events as the bytes arrive: one event is
 * held at a time, never the stream. The next bytes are asked for only once the delivered ones are
 * handled, so a slow listener slows the stream down instead of filling memory.
 */
final class EventLines implements AsyncBody.Consumer<List<ByteBuffer>> {

    /** The largest event read; an object this large (etcd stores at most a few MiB) is refused alone. */
    static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;
    private static final int INITIAL_BYTES = 8 * 1024;
    /** A buffer grown past this for one large event is given back after it. */
    private static final int KEPT_BYTES = 1024 * 1024;

    /** What is done with each event, on the HTTP client's thread. */
    interface Handler {
        /** One event's line, without its newline; {@code bytes} is reused after the call. */
        void line(byte[] bytes, int length);

        /** An event longer than {@link #MAX_EVENT_BYTES}, skipped. */
        void tooLong(long length);

        /** Whether to read on; false once the watch stops. */
        boolean reading();
    }

    private final Handler handler;
    private byte[] line = new byte[INITIAL_BYTES];
    private int length;
    private long skipping = -1;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean delivered;

    EventLines(Handler handler) {
        this.handler = handler;
    }

    @Override
    public void consume(List<ByteBuffer> buffers, AsyncBody body) {
        lastActivity = System.nanoTime();
        for (ByteBuffer buffer : buffers) {
            while (buffer.hasRemaining() && handler.reading()) {
                cut(buffer);
            }
        }
        if (handler.reading()) {
            body.consume();
        }
    }

    private void cut(ByteBuffer buffer) {
        int start = buffer.position();
        int end = start;
        int limit = buffer.limit();
        while (end < limit && buffer.get(end) != '\n') {
            end++;
        }
        int chunk = end - start;
        boolean complete = end < limit;
        if (skipping >= 0) {
            skipping += chunk;
        } else if ((long) length + chunk > MAX_EVENT_BYTES) {
            skipping = (long) length + chunk;
            length = 0;
        } else {
            if (length + chunk > line.length) {
                line = Arrays.copyOf(line, Math.min(MAX_EVENT_BYTES, Math.max(line.length * 2, length + chunk)));
            }
            buffer.get(line, length, chunk);
            length += chunk;
        }
        buffer.position(complete ? end + 1 : end);
        if (complete) {
            finishLine();
        }
    }

    private void finishLine() {
        if (skipping >= 0) {
            delivered = true;
            handler.tooLong(skipping);
            skipping = -1;
        } else if (length > 0) {
            delivered = true;
            handler.line(line, length);
        }
        length = 0;
        if (line.length > KEPT_BYTES) {
            line = new byte[INITIAL_BYTES];
        }
    }

    /** {@link System#nanoTime()} of the last delivery. */
    long lastActivity() {
        return lastActivity;
    }

    /** Whether at least one whole event arrived. */
    boolean delivered() {
        return delivered;
    }
}
