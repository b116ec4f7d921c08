package io.k8scollector.collector.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What a continuous run's once-a-minute INFO line says: deltas, changes, heartbeats, full
 * fetchings and the worst lag since {@link #since()}. Used from the run's thread.
 */
final class ContinuousSummary {
    private final Instant since;
    private long deltas;
    private long changes;
    private long heartbeats;
    private long fulls;
    private Duration worstLag = Duration.ZERO;

    ContinuousSummary(Instant since) {
        this.since = since;
    }

    /** When this summary's minute began. */
    Instant since() {
        return since;
    }

    void full() {
        fulls++;
    }

    void heartbeat() {
        heartbeats++;
    }

    /** A delta committed with {@code changed} changes, each with its lag from first sighting to commit. */
    void delta(int changed, List<Duration> lags) {
        deltas++;
        changes += changed;
        for (Duration lag : lags) {
            if (lag.compareTo(worstLag) > 0) {
                worstLag = lag;
            }
        }
    }

    String line(Instant now, int pendingNow) {
        return String.format(Locale.ROOT,
                "%d deltas with %d changes, %d heartbeats, %d full fetchings in %d s; worst lag %d ms; %d pending.",
                deltas, changes, heartbeats, fulls, Duration.between(since, now).toSeconds(), worstLag.toMillis(),
                pendingNow);
    }
}
