package io.k8scollector.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;

/**
 * Body of {@code POST .../fetchings/{fetchingId}/commit}: closes a snapshot.
 *
 * @param skipped what is left out now. In a delta (protocol 1.1) null (absent) means unchanged
 *     from the base, and a list ({@code []} too) replaces the base's; in a full fetching the two
 *     read alike ({@link #skippedOrEmpty()})
 * @param completeTypes protocol 1.1, deltas only: the object types and record kinds whose every
 *     current record is in this delta; null or empty when none
 * @param report what the run says of itself (protocol 1.1); null when it says nothing
 */
public record Commit(
        Counts counts, Instant finishedAt, List<Skipped> skipped, List<CompleteType> completeTypes, Report report) {

    public Commit {
        skipped = skipped == null ? null : List.copyOf(skipped);
        completeTypes = completeTypes == null || completeTypes.isEmpty() ? null : List.copyOf(completeTypes);
        counts = counts == null ? Counts.ZERO : counts;
    }

    /** A full fetching's commit with a report. */
    public Commit(Counts counts, Instant finishedAt, List<Skipped> skipped, Report report) {
        this(counts, finishedAt, skipped == null ? List.of() : skipped, null, report);
    }

    /** A commit without a report, as a 1.0 collector sends it. */
    public Commit(Counts counts, Instant finishedAt, List<Skipped> skipped) {
        this(counts, finishedAt, skipped, (Report) null);
    }

    /** {@code skipped}, empty when absent. */
    public List<Skipped> skippedOrEmpty() {
        return skipped == null ? List.of() : skipped;
    }

    /** {@code completeTypes}, empty when absent. */
    public List<CompleteType> completeTypesOrEmpty() {
        return completeTypes == null ? List.of() : completeTypes;
    }

    /** True for a delta that carries nothing: no records, no deletions, no skipped, no complete types. */
    @JsonIgnore
    public boolean isHeartbeat() {
        return counts.isEmpty() && skipped == null && completeTypes == null;
    }

    /**
     * A commit's {@code report} (protocol 1.1). Every field is optional (null: not said) and
     * readers ignore those they do not know. In continuous mode it describes that fetching alone.
     *
     * @param redactionKeyId the first 8 hex characters of SHA-256 of the redaction key: when it
     *     changes, every digest changed because the key did, not the values
     * @param types per listed type: objects, pages and time spent
     */
    public record Report(
            Long durationMs,
            Long listRequests,
            Long watchEvents,
            Long retries,
            Long bytesBeforeCompression,
            Long bytesSent,
            String redactionKeyId,
            List<TypeReport> types) {

        public Report {
            types = types == null ? null : List.copyOf(types);
        }

        /** A report that says only which redaction key made the digests. */
        public Report(String redactionKeyId) {
            this(null, null, null, null, null, null, redactionKeyId, null);
        }
    }

    /** One listed type's share of a run. */
    public record TypeReport(String group, String resource, Long objects, Long pages, Long durationMs) {}
}
