package io.k8scollector.receiver.ingest;

import io.javalin.http.Context;
import io.k8scollector.protocol.ErrorBody;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.server.ApiException;
import io.k8scollector.receiver.server.ReceiverMetrics;
import io.k8scollector.receiver.store.RecordRow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads request bodies under the {@link Limits}: {@code Content-Encoding} gzip, identity or none
 * (else 415), the compressed and inflated sizes counted while streaming (413 as soon as one is
 * passed, before the rest is read), the nesting depth checked by the parser (400).
 */
public final class BodyReader {

    private final Limits limits;
    private final ReceiverMetrics metrics;
    private final JsonMapper mapper;

    public BodyReader(Limits limits, ReceiverMetrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        .build())
                .build();
        this.mapper = JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /** The body as a {@code type} record; read whole (within the caps) before it is parsed. */
    public <T> T read(Context ctx, Class<T> type) {
        T value = parse(ctx, in -> mapper.readValue(in.readAllBytes(), type));
        if (value == null) {
            throw ApiException.badRequest("The body must be a JSON object.");
        }
        return value;
    }

    /**
     * The records of a page of {@code kind}. The page is inflated whole (within the inflated-size
     * cap) so that each object's stored body is a slice of the bytes as sent, not a re-serialised
     * copy.
     */
    public List<RecordRow> records(Context ctx, RecordKind kind) {
        return parse(ctx, in -> {
            byte[] page = in.readAllBytes();
            try (JsonParser parser = mapper.createParser(page)) {
                return PageParser.parse(parser, page, kind);
            }
        });
    }

    /** Reads away what the client sends of a body refused before it was read (within the drain bound). */
    public void discard(Context ctx) {
        drain(requestBody(ctx), limits.drainBytes());
    }

    /** Turns the inflated body into a value. */
    @FunctionalInterface
    private interface Reading<T> {
        T read(InputStream body) throws IOException;
    }

    private <T> T parse(Context ctx, Reading<T> reader) {
        InputStream sent = requestBody(ctx);
        long declared = ctx.req().getContentLengthLong();
        boolean whole = false;
        try {
            String encoding = ctx.header("Content-Encoding");
            boolean gzip = encoding != null && encoding.trim().equalsIgnoreCase("gzip");
            if (!gzip && encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
                throw new ApiException(415, ErrorBody.UNSUPPORTED_ENCODING,
                        "Content-Encoding '" + encoding + "' is not supported: use gzip or identity (or none).");
            }
            if (declared > limits.maxCompressedBytes()) {
                throw tooLarge("The request body (" + declared + " bytes) is larger than " + limits.maxCompressedBytes()
                        + " bytes.");
            }
            InputStream counted = sent;
            if (declared >= 0) {
                counted = new ByteArrayInputStream(declaredBytes(sent, (int) declared));
                whole = true;
            }
            InputStream raw = new CappedInputStream(counted, limits.maxCompressedBytes(), "as sent", metrics::bytesIn);
            InputStream body = gzip
                    ? new CappedInputStream(new GZIPInputStream(raw, 8192), limits.maxInflatedBytes(), "once inflated", n -> {})
                    : raw;
            return reader.read(body);
        } catch (BodyTooLarge e) {
            throw tooLarge(e.getMessage());
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("The JSON is nested deeper than " + limits.maxNestingDepth() + " levels.");
        } catch (JacksonException e) {
            BodyTooLarge cause = causeOf(e);
            if (cause != null) {
                throw tooLarge(cause.getMessage());
            }
            // The location, not the parser's message: that would echo part of the body.
            var at = e.getLocation();
            throw ApiException.badRequest("The body is not valid JSON"
                    + (at == null ? "." : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")."));
        } catch (IOException e) {
            throw ApiException.badRequest("The body could not be read: " + e.getMessage());
        } finally {
            if (!whole) {
                drain(sent, limits.drainBytes());
            }
        }
    }

    /**
     * The {@code length} bytes a {@code Content-Length} announced (fewer if the client stops
     * early), read without a read past them: Jetty checks the minimum data rate on every read
     * since the body's first byte, so a read after a small body, however long after, would
     * count as a body that arrives too slowly.
     */
    private static byte[] declaredBytes(InputStream sent, int length) throws IOException {
        byte[] bytes = new byte[length];
        int n = 0;
        while (n < length) {
            int read = sent.read(bytes, n, length - n);
            if (read < 0) {
                return Arrays.copyOf(bytes, n);
            }
            n += read;
        }
        return bytes;
    }

    private static InputStream requestBody(Context ctx) {
        try {
            return ctx.req().getInputStream();
        } catch (IOException e) {
            throw ApiException.badRequest("The body could not be read: " + e.getMessage());
        }
    }

    /**
     * Reads and discards what is left of a body, up to {@code bound} bytes, so that the client,
     * still sending a refused body, reads the answer instead of a closed connection. Costs no
     * memory and no inflating; a body longer than that is left unread and the connection closes.
     */
    private static void drain(InputStream sent, long bound) {
        byte[] sink = new byte[8192];
        try (sent) {
            long left = bound;
            int n;
            while (left > 0 && (n = sent.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            // nothing more to learn from a body already read or refused (Jetty's rate check included)
        }
    }

    private static BodyTooLarge causeOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLarge tooLarge) {
                return tooLarge;
            }
        }
        return null;
    }

    private static ApiException tooLarge(String message) {
        return new ApiException(413, ErrorBody.TOO_LARGE, message);
    }
}
