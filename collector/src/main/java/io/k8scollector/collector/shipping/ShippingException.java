package io.k8scollector.collector.shipping;

import io.k8scollector.collector.CollectorException;

/**
 * A request to the ingest endpoint that failed for good: the run stops and exits 1. The message is
 * one sentence naming the request (method and path, never the token), the answer and what to do.
 * {@code status} is 0 when no HTTP answer came (connection error, timeout); {@code code} is the
 * protocol's error code of the answer ({@code incomplete}, {@code cluster_conflict}...), or null.
 */
public class ShippingException extends CollectorException {

    private static final long serialVersionUID = 1L;

    private final String method;
    private final String path;
    private final int status;
    private final String code;

    public ShippingException(String method, String path, int status, String message) {
        this(method, path, status, null, message);
    }

    public ShippingException(String method, String path, int status, String code, String message) {
        super(message);
        this.method = method;
        this.path = path;
        this.status = status;
        this.code = code;
    }

    public ShippingException(String method, String path, int status, String message, Throwable cause) {
        super(message, cause);
        this.method = method;
        this.path = path;
        this.status = status;
        this.code = null;
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

    /** The protocol's error code of the answer, or null when it named none. */
    public String code() {
        return code;
    }

    /**
     * Whether the endpoint refused the key pair or a fresh token for it (401), or the key for this
     * cluster (403): a person must act, retrying cannot help.
     */
    public boolean credentialsRefused() {
        return status == 401 || status == 403;
    }

    /** Whether no answer came, or one that said to come back later (429, 5xx): the endpoint is unreachable for now. */
    public boolean unreachable() {
        return status == 0 || status == 429 || status >= 500;
    }
}
