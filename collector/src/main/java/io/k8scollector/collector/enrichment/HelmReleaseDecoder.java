package io.k8scollector.collector.enrichment;

import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.protocol.HelmRelease.Chart;
import io.k8scollector.protocol.HelmRelease.ResourceRef;
import io.k8scollector.protocol.Json;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * Decodes one stored Helm release as a stream: Kubernetes' base64 (Secrets only), Helm's base64,
 * gunzip when the gzip magic is there, then Jackson's streaming parser over the release JSON,
 * which keeps only the summary's fields: chart templates, files and default values are skipped
 * unread, user values are reduced to their digest as they are read. What a release may make the
 * decoder hold is bounded by {@link HelmLimits}: the inflated size, whatever field the bytes are
 * in, read or skipped (a gzip of a few hundred KiB, which a Secret holds, can inflate to
 * gigabytes), the length of a string, the values' tree and the manifest's references.
 * Thread-safe.
 */
final class HelmReleaseDecoder {

    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;
    private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private final KeyedDigest digest;
    private final HelmLimits limits;
    private final JsonMapper mapper;

    /** A decoder digesting values with {@code digest}, within {@code limits}. */
    HelmReleaseDecoder(KeyedDigest digest, HelmLimits limits) {
        this.digest = digest;
        this.limits = limits;
        StreamReadConstraints constraints = StreamReadConstraints.builder().maxStringLength(limits.stringChars()).build();
        this.mapper = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(constraints).build()).build();
    }

    /**
     * The summary of the release encoded in {@code stored}: the value of {@code data.release},
     * base64 twice over when {@code kubernetesBase64} (a Secret), once (a ConfigMap).
     *
     * @throws TooLarge when the release holds more than one of the limits allow
     * @throws IOException or {@link tools.jackson.core.JacksonException} when it does not decode,
     *     a string longer than the limit included
     */
    HelmRevision read(String stored, boolean kubernetesBase64) throws IOException {
        InputStream in = new AsciiStream(stored);
        if (kubernetesBase64) {
            in = new Base64Chunks(in);
        }
        try (InputStream release = new Capped(gunzipped(new Base64Chunks(in)), limits.inflatedBytes());
                JsonParser parser = mapper.createParser(release)) {
            return parse(parser);
        } catch (JacksonIOException e) {
            // the parser wraps what its stream throws
            if (e.getCause() instanceof TooLarge tooLarge) {
                throw tooLarge;
            }
            throw e;
        }
    }

    private static InputStream gunzipped(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
        in.mark(2);
        boolean gzip = in.read() == GZIP_MAGIC_1 && in.read() == GZIP_MAGIC_2;
        in.reset();
        return gzip ? new GZIPInputStream(in, 64 * 1024) : in;
    }

    private HelmRevision parse(JsonParser parser) throws IOException {
        expect(parser.nextToken(), JsonToken.START_OBJECT);
        Fields release = new Fields();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "name" -> release.name = text(parser);
                case "namespace" -> release.namespace = text(parser);
                case "version" -> release.version = value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : 0;
                case "info" -> readInfo(parser, release);
                case "chart" -> readChart(parser, release);
                case "config" -> release.valuesDigest = digest.ofJson(values(parser));
                case "manifest" -> release.manifest = text(parser);
                default -> parser.skipChildren();
            }
        }
        return release.toRevision(limits);
    }

    private static void readInfo(JsonParser parser, Fields release) {
        forEachField(parser, field -> {
            switch (field) {
                case "first_deployed" -> release.firstDeployed = instant(text(parser));
                case "last_deployed" -> release.lastDeployed = instant(text(parser));
                case "status" -> release.status = text(parser);
                case "description" -> release.description = text(parser);
                default -> parser.skipChildren();
            }
        });
    }

    private static void readChart(JsonParser parser, Fields release) {
        forEachField(parser, field -> {
            if ("metadata".equals(field)) {
                forEachField(parser, key -> {
                    switch (key) {
                        case "name" -> release.chartName = text(parser);
                        case "version" -> release.chartVersion = text(parser);
                        case "appVersion" -> release.appVersion = text(parser);
                        default -> parser.skipChildren();
                    }
                });
            } else {
                parser.skipChildren();
            }
        });
    }

    /** Calls {@code reader} with the parser on each field's value of the object it is at (or on null). */
    private static void forEachField(JsonParser parser, Consumer<String> reader) {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            reader.accept(field);
        }
    }

    private JsonNode values(JsonParser parser) throws TooLarge {
        JsonNode values = parser.currentToken() == JsonToken.VALUE_NULL
                ? null
                : new BoundedTree("its values", limits.treeNodes(), limits.treeChars()).read(parser);
        // Helm stores "no user values" as null or {}: both are the empty values
        return values == null || values instanceof NullNode ? Json.MAPPER.createObjectNode() : values;
    }

    private static String text(JsonParser parser) {
        return parser.currentToken() == JsonToken.VALUE_STRING ? parser.getString() : null;
    }

    /** An RFC 3339 timestamp as Go writes it (nanoseconds, any offset); null when empty, unreadable or Go's zero time. */
    static Instant instant(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            Instant instant = OffsetDateTime.parse(text).toInstant();
            return instant.equals(GO_ZERO_TIME) ? null : instant;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("the release is not a JSON object");
        }
    }

    /** The fields read so far; the manifest is turned into references once the namespace is known. */
    private static final class Fields {
        String name;
        String namespace;
        int version;
        String status;
        String description;
        Instant firstDeployed;
        Instant lastDeployed;
        String chartName;
        String chartVersion;
        String appVersion;
        String valuesDigest;
        String manifest;

        HelmRevision toRevision(HelmLimits limits) throws TooLarge {
            long texts = length(name) + length(namespace) + length(status) + length(description) + length(chartName)
                    + length(chartVersion) + length(appVersion);
            if (texts > limits.summaryChars()) {
                throw new TooLarge("its name, status, description and chart: more than " + limits.summaryChars()
                        + " characters");
            }
            List<ResourceRef> resources =
                    manifest == null ? List.of() : HelmManifest.resources(manifest, namespace, limits);
            return new HelmRevision(name, namespace, version, status,
                    new Chart(chartName, chartVersion, appVersion), firstDeployed, lastDeployed, description,
                    valuesDigest, resources);
        }

        private static int length(String text) {
            return text == null ? 0 : text.length();
        }
    }

    /** A stream that throws {@link TooLarge} once more than its cap has been read from it. */
    private static final class Capped extends FilterInputStream {
        private final long cap;
        private long read;

        Capped(InputStream in, long cap) {
            super(in);
            this.cap = cap;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, (int) Math.min(length, cap - read + 1));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, cap - read + 1));
            count(skipped);
            return skipped;
        }

        private void count(long n) throws TooLarge {
            read += n;
            if (read > cap) {
                throw new TooLarge("it inflates past " + cap + " bytes");
            }
        }
    }

    /** The characters of a base64 text as bytes, without copying the text. */
    private static final class AsciiStream extends InputStream {
        private final String text;
        private int next;

        AsciiStream(String text) {
            this.text = text;
        }

        @Override
        public int read() {
            return next < text.length() ? text.charAt(next++) & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            int count = Math.min(length, text.length() - next);
            if (count <= 0) {
                return -1;
            }
            for (int i = 0; i < count; i++) {
                buffer[offset + i] = (byte) text.charAt(next++);
            }
            return count;
        }
    }
}
