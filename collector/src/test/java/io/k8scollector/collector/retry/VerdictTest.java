package io.k8scollector.collector.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerdictTest {

    private static final Instant NOW = Instant.parse("2026-11-27T15:00:00Z");

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "200, DONE", "201, DONE", "202, DONE", "204, DONE",
        "413, SPLIT",
        "429, RETRY", "500, RETRY", "502, RETRY", "503, RETRY", "504, RETRY", "507, RETRY",
        "301, FAIL", "400, FAIL", "401, FAIL", "403, FAIL", "404, FAIL", "409, FAIL", "410, FAIL", "415, FAIL",
        "422, FAIL"})
    void eachStatusHasOneVerdict(int status, Verdict.Action action) {
        Verdict verdict = Verdict.of(status, Optional.empty(), NOW);

        assertThat(verdict.action()).isEqualTo(action);
        assertThat(verdict.status()).isEqualTo(status);
        assertThat(verdict.cause()).isEqualTo(String.valueOf(status));
        assertThat(verdict.retryable()).isEqualTo(action == Verdict.Action.RETRY);
        assertThat(verdict.describe()).isEqualTo("status " + status);
    }

    @Test
    void anAnswerThatNeverCameIsRetried() {
        assertThat(Verdict.ioError()).extracting(Verdict::action, Verdict::status, Verdict::cause, Verdict::describe)
                .containsExactly(Verdict.Action.RETRY, 0, "io", "connection error");
        assertThat(Verdict.timeout()).extracting(Verdict::action, Verdict::status, Verdict::cause, Verdict::describe)
                .containsExactly(Verdict.Action.RETRY, 0, "timeout", "no answer in time");
    }

    @Test
    void retryAfterIsReadOnlyWhereARetryFollows() {
        assertThat(Verdict.of(429, Optional.of("7"), NOW).retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(Verdict.of(503, Optional.of("Fri, 27 Nov 2026 15:00:30 GMT"), NOW).retryAfter())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(Verdict.of(400, Optional.of("7"), NOW).retryAfter()).isZero();
        assertThat(Verdict.of(503, Optional.of("7"), NOW).asFailure())
                .extracting(Verdict::action, Verdict::status, Verdict::retryAfter)
                .containsExactly(Verdict.Action.FAIL, 503, Duration.ZERO);
    }

    @Test
    void readsDeltaSeconds() {
        assertThat(Verdict.retryAfter(Optional.of(" 7 "), NOW)).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void readsAnHttpDate() {
        assertThat(Verdict.retryAfter(Optional.of("Fri, 27 Nov 2026 15:00:30 GMT"), NOW)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aDateInThePastAGarbledValueOrNoHeaderMeanNoExtraWait() {
        assertThat(Verdict.retryAfter(Optional.of("Fri, 27 Nov 2026 14:00:00 GMT"), NOW)).isZero();
        assertThat(Verdict.retryAfter(Optional.of("soon"), NOW)).isZero();
        assertThat(Verdict.retryAfter(Optional.of("-3"), NOW)).isZero();
        assertThat(Verdict.retryAfter(Optional.empty(), NOW)).isZero();
    }
}
