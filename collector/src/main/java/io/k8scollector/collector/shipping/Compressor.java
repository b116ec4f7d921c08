package io.k8scollector.collector.shipping;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * How a request body is encoded on the wire: gzip at a level (tests plant failing ones). Names
 * its {@code Content-Encoding}, wraps the stream the body is written to, and the stream an encoded
 * body is read back from (a sent page keeps only its encoded body, see {@link Page}).
 */
public interface Compressor {

    /** gzip at {@code level}, 0 (stored) to 9 (smallest), with deflaters reused from body to body. */
    static Compressor gzip(int level) {
        return new GzipCompressor(level);
    }

    /** The {@code Content-Encoding} value; empty when the body is plain JSON. */
    Optional<String> encoding();

    /** A stream that encodes what is written to it into {@code out}; closing it finishes the encoding. */
    OutputStream wrap(OutputStream out) throws IOException;

    /** A stream that decodes what {@link #wrap} encoded, read from {@code in}. */
    InputStream unwrap(InputStream in) throws IOException;

    /** Frees what the compressor holds outside the heap; it is not used after. */
    default void close() {}
}
