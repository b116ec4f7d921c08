package io.k8scollector.receiver.store;

import java.util.Map;

/** A request the store refuses by the protocol's rules; {@link #reason} says which rule. */
public final class Refused extends RuntimeException {

    /**
     * The protocol's refusals that the store decides; {@code TOO_MANY_OPEN} is the receiver's
     * quota on open fetchings per cluster (429), {@code GONE} a query's snapshot merged away (410).
     */
    public enum Reason {
        NOT_FOUND, CLUSTER_CONFLICT, FETCHING_COMMITTED, FETCHING_ABORTED, INCOMPLETE, STALE, BAD_REQUEST, TOO_MANY_OPEN,
        BASE_MISMATCH, GONE
    }

    private final Reason reason;
    private final Map<String, Long> shortfall;
    private final String current;

    public Refused(Reason reason, String message) {
        this(reason, message, Map.of());
    }

    public Refused(Reason reason, String message, Map<String, Long> shortfall) {
        this(reason, message, shortfall, null);
    }

    /** @param current for {@link Reason#BASE_MISMATCH}: the cluster's current fetchingId, null when it has none */
    public Refused(Reason reason, String message, Map<String, Long> shortfall, String current) {
        super(message);
        this.reason = reason;
        this.shortfall = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(shortfall));
        this.current = current;
    }

    public Reason reason() {
        return reason;
    }

    /** For {@link Reason#INCOMPLETE}: records missing per kind, by the commit's count field names. */
    public Map<String, Long> shortfall() {
        return shortfall;
    }

    /** For {@link Reason#BASE_MISMATCH}: the cluster's current fetchingId, or null. */
    public String current() {
        return current;
    }
}
