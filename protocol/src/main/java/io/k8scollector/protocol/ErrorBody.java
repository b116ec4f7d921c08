package io.k8scollector.protocol;

/**
 * The body of every error answer: a stable code and a sentence for people.
 *
 * @param current with {@link #BASE_MISMATCH} (protocol 1.1): the cluster's current fetchingId,
 *     null when it has none
 */
public record ErrorBody(String error, String message, String current) {

    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String NOT_FOUND = "not_found";
    public static final String BAD_REQUEST = "bad_request";
    public static final String CLUSTER_CONFLICT = "cluster_conflict";
    public static final String FETCHING_COMMITTED = "fetching_committed";
    public static final String INCOMPLETE = "incomplete";
    public static final String STALE = "stale";
    /** A page, commit or start for a fetching its collector aborted (protocol 1.1). */
    public static final String FETCHING_ABORTED = "fetching_aborted";
    /** A delta whose base is not the cluster's current snapshot (protocol 1.1). */
    public static final String BASE_MISMATCH = "base_mismatch";
    public static final String TOO_LARGE = "too_large";
    public static final String UNSUPPORTED_ENCODING = "unsupported_encoding";

    /** An error answer without {@code current}. */
    public ErrorBody(String error, String message) {
        this(error, message, null);
    }
}
