package io.k8scollector.protocol;

/** The request paths of the protocol, relative to the endpoint (login: to the login endpoint). */
public final class Paths {

    public static final String LOGIN = "/account/access_keys/login";

    /** The path segment, and the page's JSON field, of a deletions page (protocol 1.1). */
    public static final String DELETIONS = "deletions";

    private Paths() {}

    /** {@code /v1/clusters/{clusterId}/fetchings}: start a fetching. */
    public static String fetchings(String clusterId) {
        return "/v1/clusters/" + clusterId + "/fetchings";
    }

    /** {@code .../fetchings/{fetchingId}/{objects|helm-releases|types|trees}}: send a page. */
    public static String records(String clusterId, String fetchingId, RecordKind kind) {
        return fetchings(clusterId) + "/" + fetchingId + "/" + kind.pathSegment();
    }

    /** {@code .../fetchings/{fetchingId}/commit}. */
    public static String commit(String clusterId, String fetchingId) {
        return fetchings(clusterId) + "/" + fetchingId + "/commit";
    }

    /** {@code .../fetchings/{fetchingId}/abort} (protocol 1.1). */
    public static String abort(String clusterId, String fetchingId) {
        return fetchings(clusterId) + "/" + fetchingId + "/abort";
    }

    /** {@code .../fetchings/{fetchingId}/deletions}: a page of a delta's deletions (protocol 1.1). */
    public static String deletions(String clusterId, String fetchingId) {
        return fetchings(clusterId) + "/" + fetchingId + "/" + DELETIONS;
    }
}
