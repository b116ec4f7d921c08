package io.k8scollector.collector.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-11-27T15:00:00Z");

    @Test
    void readsDeltaSeconds() {
        assertThat(IngestClient.retryAfter(Optional.of(" 7 "), NOW)).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void readsAnHttpDate() {
        assertThat(IngestClient.retryAfter(Optional.of("Fri, 27 Nov 2026 15:00:30 GMT"), NOW)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aDateInThePastAGarbledValueOrNoHeaderMeanNoExtraWait() {
        assertThat(IngestClient.retryAfter(Optional.of("Fri, 27 Nov 2026 14:00:00 GMT"), NOW)).isZero();
        assertThat(IngestClient.retryAfter(Optional.of("soon"), NOW)).isZero();
        assertThat(IngestClient.retryAfter(Optional.of("-3"), NOW)).isZero();
        assertThat(IngestClient.retryAfter(Optional.empty(), NOW)).isZero();
    }
}
