package io.k8scollector.collector.shipping;

import io.k8scollector.protocol.RecordKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One request's worth of records of one kind: {@code {"<field>":[r1,r2,...]}}, compressed as it
 * fills so that the uncompressed body is never held whole. The records themselves are kept until
 * the page is answered, because a {@code 413} splits the page into halves built from them.
 * Not thread-safe: one thread fills a page, then one thread sends it.
 */
final class Page implements Payload {

    private static final byte[] SUFFIX = "]}".getBytes(StandardCharsets.UTF_8);

    private final RecordKind kind;
    private final Compressor compressor;
    private final byte[] prefix;
    private final List<byte[]> records = new ArrayList<>();
    private long plainSize;
    private ByteArrayOutputStream wire;
    private OutputStream encoder;
    private Body sealed;

    Page(RecordKind kind, Compressor compressor) {
        this.kind = kind;
        this.compressor = compressor;
        this.prefix = ("{\"" + kind.field() + "\":[").getBytes(StandardCharsets.UTF_8);
        this.plainSize = prefix.length + SUFFIX.length;
        try {
            wire = new ByteArrayOutputStream(8 * 1024);
            encoder = compressor.wrap(wire);
            encoder.write(prefix);
        } catch (IOException e) {
            compressionFailed();
        }
    }

    /** A page of {@code records}, for one half of a split. */
    static Page of(RecordKind kind, Compressor compressor, List<byte[]> records) {
        Page page = new Page(kind, compressor);
        records.forEach(page::add);
        return page;
    }

    RecordKind kind() {
        return kind;
    }

    /** Whether {@code record} may join without the body passing {@code limit} bytes; an empty page takes anything. */
    boolean fits(byte[] record, long limit) {
        return records.isEmpty() || plainSize + 1 + record.length <= limit;
    }

    void add(byte[] record) {
        if (sealed != null) {
            throw new IllegalStateException("page already sealed");
        }
        boolean first = records.isEmpty();
        records.add(record);
        plainSize += record.length + (first ? 0 : 1);
        if (encoder == null) {
            return;
        }
        try {
            if (!first) {
                encoder.write(',');
            }
            encoder.write(record);
        } catch (IOException e) {
            compressionFailed();
        }
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    int size() {
        return records.size();
    }

    List<byte[]> records() {
        return records;
    }

    /** The body size before compression. */
    long plainSize() {
        return plainSize;
    }

    /** Finishes the compressed body (once); no record may be added after. */
    @Override
    public Body encoded() {
        if (sealed == null) {
            sealed = finish();
        }
        return sealed;
    }

    @Override
    public Body plain() {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) plainSize);
        out.writeBytes(prefix);
        for (int i = 0; i < records.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(records.get(i));
        }
        out.writeBytes(SUFFIX);
        return new Body(out.toByteArray(), Optional.empty(), plainSize);
    }

    private Body finish() {
        if (encoder != null) {
            try {
                encoder.write(SUFFIX);
                encoder.close();
                Body body = new Body(wire.toByteArray(), compressor.encoding(), plainSize);
                wire = null;
                encoder = null;
                return body;
            } catch (IOException e) {
                compressionFailed();
            }
        }
        return plain();
    }

    private void compressionFailed() {
        // the protocol's fallback: this page goes as plain JSON, without Content-Encoding
        wire = null;
        encoder = null;
    }
}
