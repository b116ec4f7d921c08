package io.k8scollector.collector.shipping;

import io.k8scollector.collector.CollectorException;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The dry-run sink: streams the protocol's dry-run document to an output stream (stdout) as the
 * records arrive: {@code {"objects":[...],"helmReleases":[...],"types":[...],"trees":[...],"skipped":[...]}}.
 * Records must arrive in {@link RecordKind} order, as {@link Sink} promises; kinds that never
 * arrive are written as empty arrays. Nothing is sent anywhere.
 */
public final class DryRunSink implements Sink {

    private final OutputStream out;
    private Counts counts = Counts.ZERO;
    private RecordKind current;
    private boolean first;
    private long bytes;

    /** Writes the document to {@code out}, which it flushes but never closes. */
    public DryRunSink(OutputStream out) {
        this.out = new BufferedOutputStream(out, 1 << 16);
    }

    @Override
    public synchronized void open(String clusterId, FetchingStart start) {
        counts = Counts.ZERO;
        write("{");
        advanceTo(RecordKind.OBJECTS);
    }

    @Override
    public synchronized void accept(ShippedRecord record) {
        RecordKind kind = record.kind();
        if (current == null) {
            throw new IllegalStateException("The dry-run document is not open.");
        }
        if (kind.ordinal() < current.ordinal()) {
            throw new IllegalStateException(kind.field() + " arrived after " + current.field() + ".");
        }
        advanceTo(kind);
        if (!first) {
            write(",");
        }
        first = false;
        write(record.json());
        counts = counts.plus(kind, 1);
    }

    /** Closes the document; the {@code report} is not part of the dry-run's document shape. */
    @Override
    public synchronized Counts commit(List<Skipped> skipped, Instant finishedAt, Commit.Report report) {
        RecordKind last = RecordKind.values()[RecordKind.values().length - 1];
        advanceTo(last);
        write("],\"skipped\":");
        write(Json.MAPPER.writeValueAsBytes(skipped));
        write("}\n");
        try {
            out.flush();
        } catch (IOException e) {
            throw new CollectorException("Cannot write the dry-run output: " + e.getMessage(), e);
        }
        current = null;
        return counts;
    }

    /** Nothing was started anywhere, so there is no one to tell. */
    @Override
    public void abort(RuntimeException failure, Instant finishedAt) {
        // The dry-run's failure is on stderr already; the document on stdout stays unfinished.
    }

    @Override
    public synchronized ShippingStats stats() {
        return new ShippingStats(0, bytes, bytes, Map.of());
    }

    @Override
    public synchronized void close() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new CollectorException("Cannot write the dry-run output: " + e.getMessage(), e);
        }
    }

    /** Closes the arrays before {@code kind} and opens the ones up to it. */
    private void advanceTo(RecordKind kind) {
        int from = current == null ? 0 : current.ordinal() + 1;
        for (int i = from; i <= kind.ordinal(); i++) {
            if (current != null) {
                write("],");
            }
            current = RecordKind.values()[i];
            write("\"" + current.field() + "\":[");
            first = true;
        }
    }

    private void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    private void write(byte[] data) {
        try {
            out.write(data);
            bytes += data.length;
        } catch (IOException e) {
            throw new CollectorException("Cannot write the dry-run output: " + e.getMessage(), e);
        }
    }
}
