package io.k8scollector.collector.run;

/**
 * Why a continuous run lists a type again, which says how; the last is the strongest, which wins
 * when several queue the same type.
 */
enum RelistReason {
    /** The periodic resync, or a type without a watch: few changes; a failed listing leaves the old watch on. */
    RESYNC(false, true),
    /**
     * Its watch expired ({@code 410 Gone}): what changed after its last resourceVersion was lost, few objects
     * next to the type's (no more than the history the server keeps), so the metadata first; it must succeed.
     */
    EXPIRED(true, true),
    /** Pending changes were dropped, or the type is new: many or all objects differ, listed whole; it must succeed. */
    DROPPED(true, false);

    /** Whether a failed listing stays queued (changes were lost), rather than the old watch resuming. */
    final boolean mustSucceed;
    /** Whether the type's metadata is listed first ({@link ResyncListing}). */
    final boolean metadataFirst;

    RelistReason(boolean mustSucceed, boolean metadataFirst) {
        this.mustSucceed = mustSucceed;
        this.metadataFirst = metadataFirst;
    }

    RelistReason stronger(RelistReason other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
