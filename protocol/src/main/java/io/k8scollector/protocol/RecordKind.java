package io.k8scollector.protocol;

/**
 * The four kinds of record a fetching carries, in the order the dry-run document lists them.
 * Each is sent to its own path and wrapped in its own field, and each is paged the same way.
 */
public enum RecordKind {
    OBJECTS("objects", "objects", "object"),
    HELM_RELEASES("helm-releases", "helmReleases", "helmRelease"),
    TYPES("types", "types", "type"),
    TREES("trees", "trees", "tree");

    private final String pathSegment;
    private final String field;
    private final String recordKind;

    RecordKind(String pathSegment, String field, String recordKind) {
        this.pathSegment = pathSegment;
        this.field = field;
        this.recordKind = recordKind;
    }

    /**
     * The kind named by a {@code recordKind} wire value (deletions, {@code completeTypes},
     * skipped records).
     *
     * @throws IllegalArgumentException for any other value, naming it and the allowed ones
     */
    public static RecordKind fromRecordKind(String recordKind) {
        for (RecordKind kind : values()) {
            if (kind.recordKind.equals(recordKind)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown recordKind \"" + recordKind
                + "\" (allowed: object, helmRelease, type, tree)");
    }

    /** The singular wire name of a record of this kind: {@code object}, {@code helmRelease}, ... */
    public String recordKind() {
        return recordKind;
    }

    /** The last segment of the request path, as in {@code .../fetchings/{id}/helm-releases}. */
    public String pathSegment() {
        return pathSegment;
    }

    /** The JSON field that holds the page's records, and the key of the commit's count. */
    public String field() {
        return field;
    }
}
