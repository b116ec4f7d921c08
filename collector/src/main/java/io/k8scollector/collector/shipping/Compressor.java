package io.k8scollector.collector.shipping;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How a request body is encoded on the wire: gzip at a level (tests plant failing ones). Names
 * its {@code Content-Encoding}, wraps the stream the body is written to, and the stream an encoded
 * body is read back from (a sent page keeps only its encoded body, see {@link Page}).
 */
public interface Compressor {

    /** gzip at {@code level}, 0 (stored) to 9 (smallest). */
    static Compressor gzip(int level) {
        return new Gzip(level);
    }

    /** The {@code Content-Encoding} value; empty when the body is plain JSON. */
    Optional<String> encoding();

    /** A stream that encodes what is written to it into {@code out}; closing it finishes the encoding. */
    OutputStream wrap(OutputStream out) throws IOException;

    /** A stream that decodes what {@link #wrap} encoded, read from {@code in}. */
    InputStream unwrap(InputStream in) throws IOException;

    /** gzip at a fixed level. */
    record Gzip(int level) implements Compressor {

        public Gzip {
            if (level < 0 || level > 9) {
                throw new IllegalArgumentException("gzip level must be from 0 to 9, was " + level);
            }
        }

        @Override
        public Optional<String> encoding() {
            return Optional.of("gzip");
        }

        @Override
        public OutputStream wrap(OutputStream out) throws IOException {
            return new GZIPOutputStream(out, 16 * 1024) {
                {
                    def.setLevel(level);
                }
            };
        }

        @Override
        public InputStream unwrap(InputStream in) throws IOException {
            return new GZIPInputStream(in, 16 * 1024);
        }
    }
}
