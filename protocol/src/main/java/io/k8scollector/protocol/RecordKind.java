package io.k8scollector.protocol;

/**
 * The four kinds of record a fetching carries, in the order the dry-run document lists them.
 * Each is sent to its own path and wrapped in its own field, and each is paged the same way.
 */
public enum RecordKind {
    OBJECTS("objects", "objects"),
    HELM_RELEASES("helm-releases", "helmReleases"),
    TYPES("types", "types"),
    TREES("trees", "trees");

    private final String pathSegment;
    private final String field;

    RecordKind(String pathSegment, String field) {
        this.pathSegment = pathSegment;
        this.field = field;
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
