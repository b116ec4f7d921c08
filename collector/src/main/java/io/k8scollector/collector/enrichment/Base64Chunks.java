package io.k8scollector.collector.enrichment;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Base64;

/**
 * Decodes a stream of standard base64 text (no line breaks, as Kubernetes and Helm write it) in
 * chunks of {@value #CHUNK} characters. The JDK's {@code Base64.Decoder.wrap} reads its source one
 * byte at a time, which, with Kubernetes' and Helm's two layers nested, made it the slowest part of
 * decoding a Helm release (docs/benchmarks.md, the Helm decoder).
 */
final class Base64Chunks extends InputStream {

    /** A multiple of 4, so that every chunk but the last decodes on its own. */
    private static final int CHUNK = 16 * 1024;

    private final InputStream text;
    private final byte[] encoded = new byte[CHUNK];
    private final byte[] decoded = new byte[CHUNK / 4 * 3];
    private int position;
    private int length;
    private boolean ended;

    Base64Chunks(InputStream text) {
        this.text = text;
    }

    @Override
    public int read() throws IOException {
        if (!ready()) {
            return -1;
        }
        return decoded[position++] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        if (count == 0) {
            return 0;
        }
        if (!ready()) {
            return -1;
        }
        int n = Math.min(count, length - position);
        System.arraycopy(decoded, position, buffer, offset, n);
        position += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        text.close();
    }

    /** Whether decoded bytes are ready, decoding the next chunk when needed. */
    private boolean ready() throws IOException {
        while (position == length && !ended) {
            int filled = text.readNBytes(encoded, 0, CHUNK);
            ended = filled < CHUNK;
            byte[] chunk = ended ? Arrays.copyOf(encoded, filled) : encoded;
            length = Base64.getDecoder().decode(chunk, decoded);
            position = 0;
        }
        return position < length;
    }
}
