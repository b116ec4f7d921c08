package io.k8scollector.collector.shipping;

import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKey;
import io.k8scollector.protocol.RecordKind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One request's worth of records of one kind, or of deletions (protocol 1.1):
 * {@code {"<field>":[r1,r2,...]}}. The body is streamed from the caller's records into the
 * compressor when the page is first sent, by the sender's thread, so the uncompressed body is never
 * held whole and compression runs on as many cores as there are senders. From then on the page
 * holds only its encoded body and each record's key, reference and length: a page in flight waits
 * for the endpoint's answer (long, behind a slow endpoint), and holding a fifth of its bytes keeps
 * the pages in flight small enough to die young instead of filling the old generation. A
 * {@code 413} splits the page into halves made from its records, which are cut back out of the
 * decoded body then. Not thread-safe: one thread fills a page, then one thread sends it.
 */
final class Page implements RequestBody {

    private static final byte[] SUFFIX = "]}".getBytes(StandardCharsets.UTF_8);

    private final String field;
    private final BodyEncoder encoder;
    private final byte[] prefix;
    /** The caller's records until the page is encoded; null after. */
    private List<ShippedRecord> records = new ArrayList<>();
    /** What the encoded page keeps of each record. */
    private List<Head> heads;
    private int size;
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
        return size == 0 || plainSize + 1 + record.json().length <= limit;
    }

    void add(ShippedRecord record) {
        if (encoded != null) {
            throw new IllegalStateException("page already sent");
        }
        plainSize += record.json().length + (size == 0 ? 0 : 1);
        records.add(record);
        size++;
    }

    int size() {
        return size;
    }

    /** The page's records, in order: once the page was encoded, cut back out of its decoded body. */
    List<ShippedRecord> records() {
        if (records != null) {
            return records;
        }
        byte[] body = encoder.decode(encoded);
        List<ShippedRecord> cut = new ArrayList<>(size);
        int offset = prefix.length;
        for (Head head : heads) {
            cut.add(new ShippedRecord(head.key(), head.reference(), Arrays.copyOfRange(body, offset, offset + head.length())));
            offset += head.length() + 1;
        }
        return cut;
    }

    /** The body size before compression. */
    long plainSize() {
        return plainSize;
    }

    /**
     * The compressed body, made once; plain JSON when compression fails. The page lets its
     * records go then, and no record may be added after.
     */
    @Override
    public Form encoded() {
        if (encoded == null) {
            encoded = encoder.encode(this::writeBody, plainSize);
            heads = new ArrayList<>(size);
            records.forEach(record -> heads.add(new Head(record.key(), record.reference(), record.json().length)));
            records = null;
        }
        return encoded;
    }

    @Override
    public Form plain() {
        if (records == null) {
            return new Form(encoder.decode(encoded), Optional.empty(), plainSize);
        }
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

    /** What an encoded page keeps of a record to cut it back out of the body. */
    private record Head(RecordKey key, ShippedRecord.Reference reference, int length) {}
}
