package io.k8scollector.collector.shipping;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes request bodies with one sink's {@link Compressor}, and decodes them back. When
 * compression fails, the body goes as plain JSON without {@code Content-Encoding}, as the protocol
 * allows; the first failure is logged as a warning, later ones only at DEBUG. Thread-safe.
 */
final class BodyEncoder {

    private static final Logger LOG = LoggerFactory.getLogger(BodyEncoder.class);

    private final Compressor compressor;
    private final AtomicBoolean warned = new AtomicBoolean();

    BodyEncoder(Compressor compressor) {
        this.compressor = compressor;
    }

    /** Writes a body, as many times as asked, to the stream given. */
    @FunctionalInterface
    interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The body {@code writer} writes, compressed, else plain; {@code plainSize} is its size before compression. */
    RequestBody.Form encode(BodyWriter writer, long plainSize) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream((int) Math.min(plainSize / 4 + 64, Integer.MAX_VALUE));
        try (OutputStream out = compressor.wrap(wire)) {
            writer.writeTo(out);
        } catch (IOException e) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("Compressing a request body failed ({}); such bodies are sent as plain JSON", e.toString());
            } else {
                LOG.debug("Compressing a request body failed ({}); sent as plain JSON", e.toString());
            }
            return plain(writer, plainSize);
        }
        return new RequestBody.Form(wire.toByteArray(), compressor.encoding(), plainSize);
    }

    /**
     * The plain JSON of {@code form}, which this encoder made.
     *
     * @throws IllegalStateException when the bytes do not decode, which only a bug can cause
     */
    byte[] decode(RequestBody.Form form) {
        if (form.encoding().isEmpty()) {
            return form.bytes();
        }
        try (InputStream in = compressor.unwrap(new ByteArrayInputStream(form.bytes()))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("a body this collector compressed (" + form.bytes().length
                    + " bytes of " + form.encoding().get() + ") does not decode: " + e.getMessage(), e);
        }
    }

    /** Frees what the compressor holds outside the heap; the encoder is not used after. */
    void close() {
        compressor.close();
    }

    /** The body {@code writer} writes, as plain JSON. */
    static RequestBody.Form plain(BodyWriter writer, long plainSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(plainSize, Integer.MAX_VALUE));
        try {
            writer.writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return new RequestBody.Form(out.toByteArray(), Optional.empty(), plainSize);
    }
}
