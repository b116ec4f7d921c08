package io.k8scollector.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A 1.1 server's answer to a 1.1 start ({@code 200}): whether the fetching is a full one or a
 * delta on {@code base}. A {@code 204} instead means a 1.0 server.
 *
 * @param mode {@link #FULL} or {@link #DELTA}; a server may answer {@code full} to a start that
 *     asked for a delta (it declines it)
 * @param base the fetchingId the delta applies to; null for a full fetching
 */
public record StartAnswer(String protocol, String mode, String base) {

    public static final String FULL = "full";
    public static final String DELTA = "delta";

    /** The answer to a full start. */
    public static StartAnswer full() {
        return new StartAnswer(FetchingStart.PROTOCOL_1_1, FULL, null);
    }

    /** The answer to a delta start accepted on {@code base}. */
    public static StartAnswer delta(String base) {
        return new StartAnswer(FetchingStart.PROTOCOL_1_1, DELTA, base);
    }

    /** True when the server took the fetching as a delta. */
    @JsonIgnore
    public boolean isDelta() {
        return DELTA.equals(mode);
    }
}
