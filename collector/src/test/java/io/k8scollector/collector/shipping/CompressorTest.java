package io.k8scollector.collector.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class CompressorTest {

    @Test
    void gzipRoundTripsAndNamesItsEncoding() throws Exception {
        byte[] json = "{\"objects\":[{\"kind\":\"Pod\"}]}".repeat(50).getBytes(StandardCharsets.UTF_8);
        Compressor gzip = Compressor.gzip(1);

        byte[] wire = compress(gzip, json);

        assertThat(gzip.encoding()).contains("gzip");
        assertThat(wire.length).isLessThan(json.length);
        assertThat(gunzip(wire)).isEqualTo(json);
        assertThat(gzip.unwrap(new ByteArrayInputStream(wire)).readAllBytes()).isEqualTo(json);
    }

    @Test
    void bodiesCompressedOneAfterAnotherAndInterleavedEachDecodeWhole() throws Exception {
        Compressor gzip = Compressor.gzip(6);
        Random random = new Random(14);
        byte[] first = randomJson(random, 300_000);
        byte[] second = randomJson(random, 70_000);

        ByteArrayOutputStream firstWire = new ByteArrayOutputStream();
        ByteArrayOutputStream secondWire = new ByteArrayOutputStream();
        try (OutputStream a = gzip.wrap(firstWire); OutputStream b = gzip.wrap(secondWire)) {
            a.write(first, 0, 1000);
            b.write(second);
            a.write(first, 1000, first.length - 1000);
        }
        byte[] reused = compress(gzip, second);

        assertThat(gunzip(firstWire.toByteArray())).isEqualTo(first);
        assertThat(gunzip(secondWire.toByteArray())).isEqualTo(second);
        assertThat(reused).isEqualTo(secondWire.toByteArray());
    }

    @Test
    void anEmptyBodyAndByteWritesMakeValidMembers() throws Exception {
        Compressor gzip = Compressor.gzip(1);
        byte[] text = "{\"deletions\":[]}".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        OutputStream out = gzip.wrap(wire);
        for (byte b : text) {
            out.write(b);
        }
        out.close();
        out.close();

        assertThat(gunzip(wire.toByteArray())).isEqualTo(text);
        assertThat(gunzip(compress(gzip, new byte[0]))).isEmpty();
    }

    @Test
    void aClosedCompressorStillCompressesWhatItIsHanded() throws Exception {
        Compressor gzip = Compressor.gzip(1);
        byte[] json = "{\"objects\":[]}".getBytes(StandardCharsets.UTF_8);
        compress(gzip, json);

        gzip.close();

        assertThat(gunzip(compress(gzip, json))).isEqualTo(json);
    }

    private static byte[] compress(Compressor compressor, byte[] body) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        try (OutputStream out = compressor.wrap(wire)) {
            out.write(body);
        }
        return wire.toByteArray();
    }

    private static byte[] gunzip(byte[] wire) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(wire))) {
            return in.readAllBytes();
        }
    }

    /** JSON-like text that compresses, but not to nothing, so that the deflater's output spans buffers. */
    private static byte[] randomJson(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            text.append("{\"name\":\"pod-").append(random.nextInt(1_000_000)).append("\",\"uid\":\"")
                    .append(Long.toHexString(random.nextLong())).append("\"},");
        }
        return text.substring(0, length).getBytes(StandardCharsets.UTF_8);
    }
}
