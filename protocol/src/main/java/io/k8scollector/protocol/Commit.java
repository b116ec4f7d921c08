package io.k8scollector.protocol;

import java.time.Instant;
import java.util.List;

/**
 * Body of {@code POST .../fetchings/{fetchingId}/commit}: closes a snapshot.
 *
 * @param report what the run says of itself (protocol 1.1); null when it says nothing
 */
public record Commit(Counts counts, Instant finishedAt, List<Skipped> skipped, Report report) {

    public Commit {
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
        counts = counts == null ? Counts.ZERO : counts;
    }

    /** A commit without a report, as a 1.0 collector sends it. */
    public Commit(Counts counts, Instant finishedAt, List<Skipped> skipped) {
        this(counts, finishedAt, skipped, null);
    }

    /**
     * A commit's {@code report} (protocol 1.1). Every field is optional and readers ignore those
     * they do not know; the run's figures (durations, requests, bytes, per-type counts) join it later.
     *
     * @param redactionKeyId the first 8 hex characters of SHA-256 of the redaction key: when it
     *     changes, every digest changed because the key did, not the values
     */
    public record Report(String redactionKeyId) {}
}
