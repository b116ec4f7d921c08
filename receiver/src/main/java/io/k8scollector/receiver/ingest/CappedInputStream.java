package io.k8scollector.receiver.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** Counts the bytes read through it and fails with {@link BodyTooLarge} past {@code cap}. */
final class CappedInputStream extends FilterInputStream {

    private final long cap;
    private final String what;
    private final LongConsumer counted;
    private long read;

    CappedInputStream(InputStream in, long cap, String what, LongConsumer counted) {
        super(in);
        this.cap = cap;
        this.what = what;
        this.counted = counted;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) {
        read += n;
        counted.accept(n);
        if (read > cap) {
            throw new BodyTooLarge("The request body is larger than " + cap + " bytes " + what + ".");
        }
    }
}
