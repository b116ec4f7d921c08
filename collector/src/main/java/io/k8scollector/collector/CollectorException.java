package io.k8scollector.collector;

/**
 * The root of the collector's exceptions. Messages are sentences that name the resource, URL or
 * configuration key concerned, and never carry a key, a token or an object body.
 */
public class CollectorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CollectorException(String message) {
        super(message);
    }

    public CollectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
