package io.k8scollector.collector.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Base64ChunksTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 12_287, 12_288, 12_289, 100_000})
    void decodesWhatTheJdkEncodedAcrossChunkBoundaries(int size) throws IOException {
        byte[] original = new byte[size];
        new Random(size).nextBytes(original);
        byte[] text = Base64.getEncoder().encode(original);

        try (InputStream decoded = new Base64Chunks(new ByteArrayInputStream(text))) {
            byte[] head = new byte[Math.min(size, 5)];
            for (int i = 0; i < head.length; i++) {
                head[i] = (byte) decoded.read();
            }
            byte[] rest = decoded.readAllBytes();

            byte[] all = new byte[size];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(rest, 0, all, head.length, rest.length);
            assertThat(all).isEqualTo(original);
            assertThat(decoded.read()).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "QUJD\nREVG"})
    void refusesWhatIsNotPlainBase64(String text) {
        InputStream decoded = new Base64Chunks(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));

        assertThatThrownBy(decoded::readAllBytes).isInstanceOf(IllegalArgumentException.class);
    }
}
