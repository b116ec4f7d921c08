package io.k8scollector.collector.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VerbatimJsonTest {

    /** Whether the bytes are what the generator writes when it copies them token by token. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"a\":1,\"b\":[true,false,null,-12,340],\"c\":{\"d\":\"x y/z:e.E\"}}|true",
        "[]|true",
        "{\"big\":123456789012345678901234567890,\"neg\":-7}|true",
        "{\"a\": 1}|false",
        "{\"a\":1,\t\"b\":2}|false",
        "{\"a\":1.5}|false",
        "{\"a\":1e3}|false",
        "{\"a\":2E3}|false",
        "{\"a\":-0}|false",
        "{\"a\":\"\\u003cb\\u003e\"}|false",
        "{\"a\":\"say \\\"hi\\\"\"}|false",
        "{\"a\":\"caf\u00e9\"}|false",
        "{\"caf\u00e9\":1}|false",
    })
    void copiesAsItIsOnlyWhatTheGeneratorWouldWriteTheSame(String json, boolean asIs) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

        assertThat(VerbatimJson.copiesAsIs(bytes, 0, bytes.length)).isEqualTo(asIs);
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
