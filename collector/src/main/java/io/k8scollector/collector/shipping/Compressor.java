package io.k8scollector.collector.shipping;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * How a request body is encoded on the wire: gzip at a level (tests plant failing ones). Names
 * its {@code Content-Encoding} and wraps the stream the body is written to.
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
    }
}
