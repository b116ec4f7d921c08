package io.k8scollector.collector.watching;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The timing of a watch: the {@code timeoutSeconds} it asks for (random in a range, so that the
 * watches of many types and collectors do not all end at once), how long it waits for a byte before
 * taking a connection for dead, and the jittered exponential backoff between failed attempts.
 *
 * @param minTimeoutSeconds the shortest server-side timeout asked for
 * @param maxTimeoutSeconds the longest
 * @param idleGrace beyond the timeout asked for, how long a stream may stay silent before it is cut
 *     and resumed (a half-open connection sends nothing, not even the end)
 * @param firstBackoff the ceiling of the first delay after a failure
 * @param maxBackoff the highest ceiling
 */
public record WatchTiming(int minTimeoutSeconds, int maxTimeoutSeconds, Duration idleGrace, Duration firstBackoff,
        Duration maxBackoff) {

    /** 300 to 600 s watches, 60 s of grace, backoff from 200 ms to 30 s. */
    public static final WatchTiming DEFAULT = new WatchTiming(300, 600, Duration.ofSeconds(60), Duration.ofMillis(200),
            Duration.ofSeconds(30));

    public WatchTiming {
        if (minTimeoutSeconds < 1 || maxTimeoutSeconds < minTimeoutSeconds) {
            throw new IllegalArgumentException("watch timeouts must be 1 <= min <= max, got " + minTimeoutSeconds
                    + ".." + maxTimeoutSeconds);
        }
        if (idleGrace.isNegative() || firstBackoff.isNegative() || firstBackoff.isZero() || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("watch grace and backoff must be positive, the maximum at least the first");
        }
    }

    /** A timeout in {@code minTimeoutSeconds..maxTimeoutSeconds}. */
    int timeoutSeconds() {
        return ThreadLocalRandom.current().nextInt(minTimeoutSeconds, maxTimeoutSeconds + 1);
    }

    /**
     * The delay before attempt {@code failures + 1}: a random point in the upper half of a ceiling
     * that doubles from {@code firstBackoff} to {@code maxBackoff}.
     */
    Duration backoff(int failures) {
        long ceiling = Math.min(maxBackoff.toMillis(), firstBackoff.toMillis() << Math.min(failures - 1, 20));
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
}
