package io.k8scollector.protocol;

/** Distinct records sent per kind (trees: root trees sent); a missing count reads as 0. */
public record Counts(long objects, long helmReleases, long types, long trees) {

    public static final Counts ZERO = new Counts(0, 0, 0, 0);

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
            case OBJECTS -> new Counts(objects + n, helmReleases, types, trees);
            case HELM_RELEASES -> new Counts(objects, helmReleases + n, types, trees);
            case TYPES -> new Counts(objects, helmReleases, types + n, trees);
            case TREES -> new Counts(objects, helmReleases, types, trees + n);
        };
    }
}
