package io.k8scollector.protocol;

import java.time.Instant;
import java.util.Set;

/**
 * Body of {@code POST .../fetchings/{fetchingId}/abort} (protocol 1.1): a run that failed says
 * why, once, best effort. A receiver stores a {@code reason} it does not know as {@link #FAILED}.
 *
 * @param message one line for people, never a secret value
 */
public record Abort(String reason, String message, Instant finishedAt) {

    /** The API server could not be reached or kept failing. */
    public static final String API_UNREACHABLE = "api-unreachable";
    /** The ingest endpoint could not be reached or kept failing. */
    public static final String ENDPOINT_ERROR = "endpoint-error";
    /** The run could not send everything its commit would count. */
    public static final String INCOMPLETE = "incomplete";
    /** The endpoint refused the credentials, or the cluster's could not be read. */
    public static final String CREDENTIALS = "credentials";
    /** Any other failure. */
    public static final String FAILED = "failed";

    /** Every reason of the protocol. */
    public static final Set<String> REASONS = Set.of(API_UNREACHABLE, ENDPOINT_ERROR, INCOMPLETE, CREDENTIALS, FAILED);

    /** {@code reason} when the protocol knows it, else {@link #FAILED}. */
    public String knownReason() {
        return reason != null && REASONS.contains(reason) ? reason : FAILED;
    }
}
