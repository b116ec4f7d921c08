package io.k8scollector.collector.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A clock that stands still until the retrier sleeps on it: each wait moves it on at once and is
 * remembered, so that a test checks the waits a retry took without waiting them out. Thread-safe.
 */
public final class FakeTime extends Clock implements Sleeper {

    private final List<Duration> waits = new ArrayList<>();
    private Instant now;

    public FakeTime(Instant start) {
        this.now = start;
    }

    public FakeTime() {
        this(Instant.parse("2026-11-27T15:00:00Z"));
    }

    /** A retrier under {@code policy} on this clock, with fixed randomness. */
    public Retrier retrier(RetryPolicy policy) {
        return new Retrier(policy, this, this, new SplittableRandom(7));
    }

    /** A retrier under the documented defaults (8 attempts within 120 s) on this clock. */
    public Retrier retrier() {
        return retrier(RetryPolicy.of(RetryPolicy.DEFAULT_MAX_ATTEMPTS, RetryPolicy.DEFAULT_DEADLINE));
    }

    @Override
    public synchronized void sleep(Duration wait) {
        waits.add(wait);
        now = now.plus(wait);
    }

    /** Moves the clock on without a wait, as time spent sending. */
    public synchronized void pass(Duration time) {
        now = now.plus(time);
    }

    /** The waits slept so far, in order. */
    public synchronized List<Duration> waits() {
        return List.copyOf(waits);
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a fake clock keeps UTC");
    }
}
