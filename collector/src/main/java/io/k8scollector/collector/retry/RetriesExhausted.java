package io.k8scollector.collector.retry;

import java.time.Duration;

/**
 * A request kept getting answers that can succeed later, and the policy allows no more attempts
 * or its deadline would pass before the next one. The caller turns it into its own failure,
 * naming the URL.
 */
public final class RetriesExhausted extends Exception {

    private static final long serialVersionUID = 1L;
    private final transient Verdict last;
    private final int attempts;
    private final transient Duration within;

    RetriesExhausted(Verdict last, int attempts, Duration within) {
        super(attempts + " attempt(s) within " + within.toSeconds() + " s, the last: " + last.describe(), null, false, false);
        this.last = last;
        this.attempts = attempts;
        this.within = within;
    }

    /** The verdict on the last answer. */
    public Verdict last() {
        return last;
    }

    /** The attempts made, the first included. */
    public int attempts() {
        return attempts;
    }

    /** The time budget the request had. */
    public Duration within() {
        return within;
    }
}
