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

    /** What to drop, and the oldest snapshot kept: versions that ended at or before it are seen by none. */
    record Plan(List<Long> dropped, long oldestKept) {}

    /** @param newestFirst a cluster's committed snapshots, newest first (the first is the current one) */
    Plan plan(List<Snapshot> newestFirst, Instant now) {
        Instant cutoff = now.minus(age);
        List<Long> dropped = new ArrayList<>();
        long oldestKept = Long.MAX_VALUE;
        int full = 0;
        for (int i = 0; i < newestFirst.size(); i++) {
            Snapshot s = newestFirst.get(i);
            boolean counted = !s.heartbeat() && full < minimum;
            if (!s.heartbeat()) {
                full++;
            }
            if (i == 0 || counted || !s.committedAt().isBefore(cutoff)) {
                oldestKept = s.seq();
            } else {
                dropped.add(s.seq());
            }
        }
        return new Plan(dropped, oldestKept);
    }
}
