package io.k8scollector.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Distinct records sent per kind (trees: root trees sent), and in a delta (protocol 1.1) distinct
 * deletions; a missing count reads as 0.
 */
public record Counts(long objects, long helmReleases, long types, long trees, long deletions) {

    public static final Counts ZERO = new Counts(0, 0, 0, 0, 0);

    /** The counts of a fetching without deletions (every full fetching). */
    public Counts(long objects, long helmReleases, long types, long trees) {
        this(objects, helmReleases, types, trees, 0);
    }

    /** The count of one kind. */
    public long of(RecordKind kind) {
        return switch (kind) {
            case OBJECTS -> objects;
            case HELM_RELEASES -> helmReleases;
            case TYPES -> types;
            case TREES -> trees;
        };
    }

    /** These counts with {@code n} more of {@code kind}. */
    public Counts plus(RecordKind kind, long n) {
        return switch (kind) {
            case OBJECTS -> new Counts(objects + n, helmReleases, types, trees, deletions);
            case HELM_RELEASES -> new Counts(objects, helmReleases + n, types, trees, deletions);
            case TYPES -> new Counts(objects, helmReleases, types + n, trees, deletions);
            case TREES -> new Counts(objects, helmReleases, types, trees + n, deletions);
        };
    }

    /** These counts with {@code n} more deletions. */
    public Counts plusDeletions(long n) {
        return new Counts(objects, helmReleases, types, trees, deletions + n);
    }

    /** True when nothing at all was sent: with no {@code skipped}, a delta is then a heartbeat. */
    @JsonIgnore
    public boolean isEmpty() {
        return objects == 0 && helmReleases == 0 && types == 0 && trees == 0 && deletions == 0;
    }
}
