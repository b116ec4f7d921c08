package io.k8scollector.receiver.server;

import io.k8scollector.protocol.ErrorBody;
import java.util.Map;

/** An error answer: HTTP status, one of the protocol's codes, a sentence, and extra fields. */
public final class ApiException extends RuntimeException {

    /** The code of a {@code 429}: a rate or a quota of this receiver is used up (not one of the protocol's codes). */
    public static final String TOO_MANY_REQUESTS = "too_many_requests";

    private final int status;
    private final String code;
    private final Map<String, Object> extra;
    private final long retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, Object> extra) {
        this(status, code, message, extra, 0);
    }

    private ApiException(int status, String code, String message, Map<String, Object> extra, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        // Unmodifiable but null-friendly: base_mismatch's "current" is null for a cluster without a snapshot.
        this.extra = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** {@code 429} with {@code Retry-After: seconds}. */
    public static ApiException tooManyRequests(String message, long seconds) {
        return new ApiException(429, TOO_MANY_REQUESTS, message, Map.of(), seconds);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, ErrorBody.BAD_REQUEST, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, ErrorBody.NOT_FOUND, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The seconds a {@code Retry-After} header says, or 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Fields added to the error body after {@code error} and {@code message}. */
    public Map<String, Object> extra() {
        return extra;
    }
}
