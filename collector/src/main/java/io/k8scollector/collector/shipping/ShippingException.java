package io.k8scollector.collector.shipping;

import io.k8scollector.collector.CollectorException;

/**
 * A request to the ingest endpoint that failed for good: the run stops and exits 1. The message is
 * one sentence naming the request (method and path, never the token), the answer and what to do.
 * {@code status} is 0 when no HTTP answer came (connection error, timeout).
 */
public final class ShippingException extends CollectorException {

    private static final long serialVersionUID = 1L;

    private final String method;
    private final String path;
    private final int status;

    public ShippingException(String method, String path, int status, String message) {
        super(message);
        this.method = method;
        this.path = path;
        this.status = status;
    }

    public ShippingException(String method, String path, int status, String message, Throwable cause) {
        super(message, cause);
        this.method = method;
        this.path = path;
        this.status = status;
    }

    public String method() {
        return method;
    }

    /** The request path, relative to the endpoint. */
    public String path() {
        return path;
    }

    /** The HTTP status of the last answer, or 0 when none came. */
    public int status() {
        return status;
    }
}
