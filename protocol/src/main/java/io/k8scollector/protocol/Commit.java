package io.k8scollector.protocol;

import java.time.Instant;
import java.util.List;

/** Body of {@code POST .../fetchings/{fetchingId}/commit}: closes a snapshot. */
public record Commit(Counts counts, Instant finishedAt, List<Skipped> skipped) {

    public Commit {
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
        counts = counts == null ? Counts.ZERO : counts;
    }
}
