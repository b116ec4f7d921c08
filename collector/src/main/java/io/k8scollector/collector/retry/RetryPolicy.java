package io.k8scollector.collector.retry;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How one request is retried when the answer says it can succeed later (429, 5xx, connection
 * errors, timeouts): at most {@code maxAttempts} attempts, all within {@code deadline} counted from
 * the first attempt, waiting between attempts a random time from zero to
 * {@code min(maxBackoff, initialBackoff * 2^(retry - 1))} ("full jitter"), or what the server asked
 * for with {@code Retry-After} when that is longer. Immutable and validated.
 *
 * @param maxAttempts attempts in all, the first included (default 8)
 * @param deadline the most time one request may take, waits included (default 120 s)
 * @param initialBackoff the ceiling of the first wait (default 500 ms)
 * @param maxBackoff the ceiling of any computed wait (default 30 s)
 */
public record RetryPolicy(int maxAttempts, Duration deadline, Duration initialBackoff, Duration maxBackoff) {

    public static final int DEFAULT_MAX_ATTEMPTS = 8;
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(120);
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        requirePositive("deadline", deadline);
        requirePositive("initialBackoff", initialBackoff);
        requirePositive("maxBackoff", maxBackoff);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must not be shorter than initialBackoff");
        }
    }

    /** The documented defaults with {@code maxAttempts} and {@code deadline} from configuration. */
    public static RetryPolicy of(int maxAttempts, Duration deadline) {
        return new RetryPolicy(maxAttempts, deadline, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
    }

    /** The wait before retry number {@code retry} (1 for the first retry), jittered by {@code random}. */
    public Duration backoff(int retry, RandomGenerator random) {
        long ceiling = initialBackoff.toMillis() << Math.min(retry - 1, 30);
        long bounded = Math.min(Math.max(ceiling, 1), maxBackoff.toMillis());
        return Duration.ofMillis(random.nextLong(bounded + 1));
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }
}
