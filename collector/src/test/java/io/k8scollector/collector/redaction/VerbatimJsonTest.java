package io.k8scollector.collector.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VerbatimJsonTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":1,\"b\":[true,false,null,-12,340],\"c\":{\"d\":\"x y/z:e.E\"}}",
        "[]",
        "{\"big\":123456789012345678901234567890,\"neg\":-7}",
    })
    void copiesAsItIsWhatTheGeneratorWouldWriteTheSame(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        assertThat(VerbatimJson.copiesAsIs(bytes, 0, bytes.length)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\": 1}",
        "{\"a\":1,\n\"b\":2}",
        "{\"a\":1.5}",
        "{\"a\":1e3}",
        "{\"a\":2E3}",
        "{\"a\":-0}",
        "{\"a\":\"\\u003cb\\u003e\"}",
        "{\"a\":\"say \\\"hi\\\"\"}",
        "{\"a\":\"caf\u00e9\"}",
        "{\"caf\u00e9\":1}",
    })
    void leavesToTheGeneratorWhatItWouldWriteOtherwise(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        assertThat(VerbatimJson.copiesAsIs(bytes, 0, bytes.length)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"plain text\",", "\"\","})
    void findsTheQuoteThatClosesAPlainString(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        assertThat(VerbatimJson.closingQuote(bytes, 0)).isEqualTo(json.length() - 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"a\\\"b\"", "\"caf\u00e9\"", "\"never closed"})
    void findsNoClosingQuoteInAStringTheGeneratorWouldWriteOtherwise(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        assertThat(VerbatimJson.closingQuote(bytes, 0)).isEqualTo(-1);
    }
}
