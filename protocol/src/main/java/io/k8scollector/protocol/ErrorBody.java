package io.k8scollector.protocol;

/** The body of every error answer: a stable code and a sentence for people. */
public record ErrorBody(String error, String message) {

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
    public static final String TOO_LARGE = "too_large";
    public static final String UNSUPPORTED_ENCODING = "unsupported_encoding";
}
