package io.k8scollector.collector.shipping;

import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One request's worth of records of one kind, or of deletions (protocol 1.1):
 * {@code {"<field>":[r1,r2,...]}}. The records are
 * kept as the caller's records until the page is answered, because a {@code 413} splits the
 * page into halves built from them; the body is streamed from them into the compressor when the
 * page is first sent, by the sender's thread, so the uncompressed body is never held whole and
 * compression runs on as many cores as there are senders. Not thread-safe: one thread fills a
 * page, then one thread sends it.
 */
final class Page implements RequestBody {

    private static final byte[] SUFFIX = "]}".getBytes(StandardCharsets.UTF_8);

    private final String field;
    private final BodyEncoder encoder;
    private final byte[] prefix;
    private final List<ShippedRecord> records = new ArrayList<>();
    private long plainSize;
    private Form encoded;

    /** An empty page of {@code field}: a {@link RecordKind#field()}, or {@link Paths#DELETIONS}. */
    Page(String field, BodyEncoder encoder) {
        this.field = field;
        this.encoder = encoder;
        this.prefix = ("{\"" + field + "\":[").getBytes(StandardCharsets.UTF_8);
        this.plainSize = prefix.length + SUFFIX.length;
    }

    /** A page of {@code records}, for one half of a split. */
    static Page of(String field, BodyEncoder encoder, List<ShippedRecord> records) {
        Page page = new Page(field, encoder);
        records.forEach(page::add);
        return page;
    }

    /** The JSON field of the page's records, which also names its kind in logs. */
    String field() {
        return field;
    }

    /** Whether {@code record} may join without the body passing {@code limit} bytes; an empty page takes anything. */
    boolean fits(ShippedRecord record, long limit) {
        return records.isEmpty() || plainSize + 1 + record.json().length <= limit;
    }

    void add(ShippedRecord record) {
        if (encoded != null) {
            throw new IllegalStateException("page already sent");
        }
        plainSize += record.json().length + (records.isEmpty() ? 0 : 1);
        records.add(record);
    }

    int size() {
        return records.size();
    }

    List<ShippedRecord> records() {
        return records;
    }

    /** The body size before compression. */
    long plainSize() {
        return plainSize;
    }

    /** The compressed body, made once; plain JSON when compression fails. No record may be added after. */
    @Override
    public Form encoded() {
        if (encoded == null) {
            encoded = encoder.encode(this::writeBody, plainSize);
        }
        return encoded;
    }

    @Override
    public Form plain() {
        return BodyEncoder.plain(this::writeBody, plainSize);
    }

    private void writeBody(OutputStream out) throws IOException {
        out.write(prefix);
        for (int i = 0; i < records.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(records.get(i).json());
        }
        out.write(SUFFIX);
    }
}
