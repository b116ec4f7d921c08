package io.k8scollector.receiver.server;

import io.k8scollector.protocol.ErrorBody;
import java.util.Map;

/** An error answer: HTTP status, one of the protocol's codes, a sentence, and extra fields. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, Object> extra;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, Object> extra) {
        super(message);
        this.status = status;
        this.code = code;
        this.extra = Map.copyOf(extra);
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

    /** Fields added to the error body after {@code error} and {@code message}. */
    public Map<String, Object> extra() {
        return extra;
    }
}
