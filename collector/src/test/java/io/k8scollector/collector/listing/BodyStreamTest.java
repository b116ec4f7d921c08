package io.k8scollector.collector.listing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.http.AsyncBody;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The body stream against a body that delivers its chunks as the HTTP client does: only when asked,
 * on the asking thread, and then completes or fails.
 */
@Timeout(30)
class BodyStreamTest {

    private static final int CHUNK = 64 * 1024;

    @Test
    void readsEveryByteInOrderAcrossDeliveries() throws IOException {
        byte[] expected = text(40 * CHUNK + 123);
        Source source = new Source(expected, null);
        BodyStream stream = started(source);

        ByteArrayOutputStream read = new ByteArrayOutputStream();
        stream.transferTo(read);

        assertThat(read.toByteArray()).isEqualTo(expected);
        assertThat(source.cancelled).isFalse();
    }

    @Test
    void asksForMoreOnlyWhileLessThanItsReadAheadWaits() throws IOException {
        Source source = new Source(text(100 * CHUNK), null);
        BodyStream stream = started(source);

        assertThat(source.delivered).isEqualTo(BodyStream.READ_AHEAD_BYTES / CHUNK);
        assertThat(stream.read(new byte[10], 0, 10)).isEqualTo(10);
        assertThat(source.delivered).isEqualTo(BodyStream.READ_AHEAD_BYTES / CHUNK + 1);
    }

    @Test
    void reportsABodyThatBrokeOffAfterWhatArrived() throws IOException {
        Source source = new Source(text(3 * CHUNK), new IOException("connection reset"));
        BodyStream stream = started(source);

        assertThat(stream.readNBytes(3 * CHUNK)).hasSize(3 * CHUNK);
        assertThatThrownBy(stream::read).isInstanceOf(IOException.class).hasMessageContaining("connection reset");
    }

    @Test
    void cancelsTheBodyWhenClosedBeforeItsEnd() throws IOException {
        Source source = new Source(text(100 * CHUNK), null);
        BodyStream stream = started(source);

        stream.close();

        assertThat(source.cancelled).isTrue();
        assertThatThrownBy(stream::read).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void cancelsABodyThatArrivesAfterTheStreamWasClosed() {
        Source source = new Source(text(100 * CHUNK), null);
        BodyStream stream = new BodyStream();
        source.stream = stream;

        stream.close();
        stream.start(source);

        assertThat(source.cancelled).isTrue();
        assertThat(source.delivered).isZero();
    }

    @Test
    @Timeout(60)
    void readsEveryByteInOrderWhileDeliveriesArriveOnTheClientsThreads() throws Exception {
        ExecutorService client = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 25; round++) {
                byte[] expected = text(6 * CHUNK + round * 977);
                ThreadedSource source = new ThreadedSource(expected, 1000 + round * 1311, client);
                BodyStream stream = new BodyStream();
                source.stream = stream;
                client.execute(() -> stream.start(source));

                ByteArrayOutputStream read = new ByteArrayOutputStream();
                byte[] buffer = new byte[1 + round * 397];
                for (int n; (n = stream.read(buffer, 0, buffer.length)) >= 0; ) {
                    read.write(buffer, 0, n);
                }

                assertThat(read.toByteArray()).as("round %d", round).isEqualTo(expected);
                assertThat(source.mostOutstanding.get()).as("requests out at once").isEqualTo(1);
                assertThat(source.cancelled).isFalse();
            }
        } finally {
            client.shutdownNow();
        }
    }

    private static BodyStream started(Source source) {
        BodyStream stream = new BodyStream();
        source.stream = stream;
        stream.start(source);
        return stream;
    }

    private static byte[] text(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; text.length() < length; i++) {
            text.append(i).append(',');
        }
        return text.substring(0, length).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Delivers one chunk per consume() later, on one of the client's threads, as the JDK's client
     * does; completes on such a thread after the last chunk. Counts the requests out at once.
     */
    private static final class ThreadedSource extends Chunks {
        private final Executor client;
        private final AtomicInteger outstanding = new AtomicInteger();
        final AtomicInteger mostOutstanding = new AtomicInteger();

        ThreadedSource(byte[] bytes, int chunk, Executor client) {
            super(bytes, chunk, new ConcurrentLinkedQueue<>());
            this.client = client;
        }

        @Override
        public void consume() {
            mostOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
            client.execute(() -> {
                ByteBuffer next = chunks.poll();
                outstanding.decrementAndGet();
                if (next == null) {
                    done.complete(null);
                } else {
                    stream.consume(List.of(next), this);
                }
            });
        }
    }

    /** Delivers one chunk per consume(), on the calling thread; then completes, or fails with {@code failure}. */
    private static final class Source extends Chunks {
        private final Throwable failure;
        int delivered;

        Source(byte[] bytes, Throwable failure) {
            super(bytes, CHUNK, new ArrayDeque<>());
            this.failure = failure;
        }

        @Override
        public void consume() {
            ByteBuffer next = chunks.poll();
            if (next == null) {
                if (failure == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(failure);
                }
                return;
            }
            delivered++;
            stream.consume(List.of(next), this);
        }
    }

    /** A body cut into chunks of {@code chunk} bytes, which says whether it was cancelled. */
    private abstract static class Chunks implements AsyncBody {
        final Queue<ByteBuffer> chunks;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile BodyStream stream;
        volatile boolean cancelled;

        Chunks(byte[] bytes, int chunk, Queue<ByteBuffer> chunks) {
            for (int offset = 0; offset < bytes.length; offset += chunk) {
                chunks.add(ByteBuffer.wrap(bytes, offset, Math.min(chunk, bytes.length - offset)).slice());
            }
            this.chunks = chunks;
        }

        @Override
        public CompletableFuture<Void> done() {
            return done;
        }

        @Override
        public void cancel() {
            cancelled = true;
            done.cancel(false);
        }
    }
}
