package io.k8scollector.receiver.health;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether a cluster's collector is doing its job; the precedence is failing > stale > ok. */
public enum Health {
    /** Committed, heard from within the expected interval, last word not an abort. */
    OK,
    /** Never committed, or silent (no request at all) for longer than its collector's interval allows. */
    STALE,
    /** The last thing its collector said was an abort; only a later commit clears it. */
    FAILING;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
