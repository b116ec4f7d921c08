package io.k8scollector.collector.shipping;

import io.k8scollector.protocol.ErrorBody;

/**
 * {@code 409 base_mismatch} (protocol 1.1): a delta's base is not the cluster's current snapshot,
 * at its start or at its commit. Not a failure: the continuous run sends a full fetching, then
 * deltas on it.
 */
public final class BaseMismatch extends ShippingException {

    private static final long serialVersionUID = 1L;

    private final String current;

    BaseMismatch(String method, String path, String current, String message) {
        super(method, path, 409, ErrorBody.BASE_MISMATCH, message);
        this.current = current;
    }

    /** The cluster's current fetchingId as the endpoint said it, or null when it has none. */
    public String current() {
        return current;
    }
}
