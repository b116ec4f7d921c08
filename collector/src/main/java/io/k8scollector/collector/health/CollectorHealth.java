package io.k8scollector.collector.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether a continuous collector is alive and ready, from what its run reports:
 *
 * <ul>
 *   <li><b>Alive</b> while it makes progress: a watch event or bookmark, an attempt to establish a
 *       watch again, or progress of a listing (the first collection, a relist, a resync). Wedged,
 *       and so not alive, only after {@value #WEDGED_MINUTES} minutes without any: an unreachable
 *       API server still shows attempts, and an unreachable endpoint never counts.
 *   <li><b>Ready</b> once a full fetching committed, while the last commit or heartbeat
 *       succeeded within {@value #READY_HEARTBEATS} heartbeats, and while the API server answers
 *       (not while every watch fails, or a relist could not reach it).
 * </ul>
 *
 * The clock is injected so that tests skip the minutes. Thread-safe.
 */
public final class CollectorHealth {

    static final int WEDGED_MINUTES = 10;
    static final int READY_HEARTBEATS = 3;
    private static final Duration WEDGED_AFTER = Duration.ofMinutes(WEDGED_MINUTES);

    private final Clock clock;
    private final Duration readyWithin;
    private volatile Instant lastProgress;
    private volatile Instant lastCommit;
    private volatile boolean fullCommitted;
    /** Why the API server is taken for unreachable now, or null while it answers. */
    private volatile String apiServerDown;

    /** @param heartbeat {@code collector.heartbeatSeconds}: readiness allows three of them between commits */
    public CollectorHealth(Clock clock, Duration heartbeat) {
        this.clock = clock;
        this.readyWithin = heartbeat.multipliedBy(READY_HEARTBEATS);
        this.lastProgress = clock.instant();
    }

    /** The answer to a probe, with the reason a person reads in the response body. */
    public record Verdict(boolean ok, String reason) {}

    /** Something moved: a watch event or bookmark, a watch attempt, a listed page. */
    public void progressed() {
        lastProgress = clock.instant();
    }

    /** A commit or a heartbeat succeeded; {@code fullFetching} when it committed a full fetching. */
    public void committed(boolean fullFetching) {
        lastCommit = clock.instant();
        if (fullFetching) {
            fullCommitted = true;
        }
    }

    /** The API server cannot be reached now ({@code why} names what failed): not ready until it answers again. */
    public void apiServerUnreachable(String why) {
        apiServerDown = why;
    }

    /** The API server answered (a watch event or bookmark, a list). */
    public void apiServerAnswered() {
        apiServerDown = null;
    }

    /** {@code /healthz}. */
    public Verdict liveness() {
        Duration quiet = Duration.between(lastProgress, clock.instant());
        if (quiet.compareTo(WEDGED_AFTER) > 0) {
            return new Verdict(false, "wedged: no watch event, bookmark, watch attempt or listing for "
                    + quiet.toSeconds() + " s (more than " + WEDGED_MINUTES + " minutes)");
        }
        return new Verdict(true, "ok");
    }

    /** {@code /readyz}. */
    public Verdict readiness() {
        if (!fullCommitted) {
            return new Verdict(false, "not ready: the first full fetching is not committed yet");
        }
        String down = apiServerDown;
        if (down != null) {
            return new Verdict(false, "not ready: the API server is unreachable (" + down + ")");
        }
        Duration since = Duration.between(lastCommit, clock.instant());
        if (since.compareTo(readyWithin) > 0) {
            return new Verdict(false, "not ready: the last commit or heartbeat succeeded " + since.toSeconds()
                    + " s ago (more than " + READY_HEARTBEATS + " heartbeats, " + readyWithin.toSeconds() + " s)");
        }
        return new Verdict(true, "ready");
    }
}
