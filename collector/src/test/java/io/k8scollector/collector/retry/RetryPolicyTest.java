package io.k8scollector.collector.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(8, Duration.ofSeconds(120), Duration.ofMillis(100), Duration.ofSeconds(1));

    @Test
    void waitsAreJitteredUnderADoublingCeilingThatStopsAtTheMaximum() {
        SplittableRandom random = new SplittableRandom(7);
        for (int retry = 1; retry <= 10; retry++) {
            long ceiling = Math.min(100L << (retry - 1), 1000);
            for (int i = 0; i < 200; i++) {
                assertThat(policy.backoff(retry, random).toMillis()).isBetween(0L, ceiling);
            }
        }
    }

    @Test
    void jitterSpreadsTheWaits() {
        SplittableRandom random = new SplittableRandom(11);
        long distinct = java.util.stream.IntStream.range(0, 100)
                .mapToLong(i -> policy.backoff(4, random).toMillis()).distinct().count();

        assertThat(distinct).isGreaterThan(50);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofMillis(1), Duration.ofMillis(1)))
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ZERO, Duration.ofMillis(1), Duration.ofMillis(1)))
                .hasMessageContaining("deadline");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("maxBackoff");
    }
}
