package io.k8scollector.collector.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class CompressorTest {

    @Test
    void gzipRoundTripsAndNamesItsEncoding() throws Exception {
        byte[] json = "{\"objects\":[{\"kind\":\"Pod\"}]}".repeat(50).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        try (OutputStream out = Compressor.gzip(1).wrap(wire)) {
            out.write(json);
        }

        assertThat(Compressor.gzip(1).encoding()).contains("gzip");
        assertThat(wire.size()).isLessThan(json.length);
        assertThat(new GZIPInputStream(new ByteArrayInputStream(wire.toByteArray())).readAllBytes()).isEqualTo(json);
    }
}
