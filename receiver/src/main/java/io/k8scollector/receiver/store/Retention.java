package io.k8scollector.receiver.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which committed snapshots a cluster keeps: every one committed within {@code age}, and at
 * least the newest {@code minimum} that are not heartbeats (a heartbeat has its base's content,
 * so it does not count), and always the current one. Older ones are merged away.
 */
public record Retention(int minimum, Duration age) {

    public static final int DEFAULT_MINIMUM = 20;
    public static final Duration DEFAULT_AGE = Duration.ofHours(168);

    public Retention {
        if (minimum < 1) {
            throw new IllegalArgumentException("the retention keeps at least 1 snapshot, not " + minimum);
        }
        if (age.isNegative()) {
            throw new IllegalArgumentException("the retention's age cannot be negative: " + age);
        }
    }

    /** A committed snapshot as the retention sees it. */
    record Snapshot(long seq, Instant committedAt, boolean heartbeat) {}

    /** When snapshots committed at or before it may be merged away. */
    Instant cutoff(Instant now) {
        return now.minus(age);
    }

    /**
     * The snapshots to merge away among those committed at or before the {@link #cutoff}: all but the
     * current one and those that are not heartbeats from {@code newestFullKept} on.
     *
     * @param newestFullKept the seq of the {@code minimum}-th newest snapshot that is not a
     *     heartbeat, or {@link Long#MIN_VALUE} when the cluster has fewer
     */
    List<Long> dropped(List<Snapshot> pastCutoff, long current, long newestFullKept) {
        List<Long> dropped = new ArrayList<>();
        for (Snapshot s : pastCutoff) {
            if (s.seq() != current && (s.heartbeat() || s.seq() < newestFullKept)) {
                dropped.add(s.seq());
            }
        }
        return dropped;
    }
}
