package io.k8scollector.receiver.health;

import io.k8scollector.protocol.FetchingStart;
import java.time.Duration;
import java.time.Instant;

/**
 * How long a collector may stay silent: three heartbeats for a continuous collector, {@code
 * staleAfter} ({@code serve --stale-after}) for a CronJob and for a 1.0 collector, which names
 * no mode.
 */
public record HealthRule(Duration staleAfter) {

    /** The default of {@code --stale-after}: three runs of a CronJob every 15 minutes. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(45);

    /** Beats missed before a continuous collector is stale. */
    static final int MISSED_HEARTBEATS = 3;

    public HealthRule {
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("--stale-after must be positive, not " + staleAfter);
        }
    }

    /** The longest silence the collector that last started in {@code mode} may keep. */
    public Duration allowedSilence(String mode, Integer heartbeatSeconds) {
        if (FetchingStart.Collector.CONTINUOUS.equals(mode)) {
            long beat = heartbeatSeconds == null || heartbeatSeconds < 1
                    ? FetchingStart.Collector.DEFAULT_HEARTBEAT_SECONDS : heartbeatSeconds;
            return Duration.ofSeconds(MISSED_HEARTBEATS * beat);
        }
        return staleAfter;
    }

    /**
     * The health at {@code now} of a cluster whose collector was last seen at {@code lastSeenAt}
     * (null: never), with or without a committed snapshot, and whose last word was an abort or not.
     */
    public Health of(boolean failing, boolean committed, Instant lastSeenAt, String mode, Integer heartbeatSeconds,
            Instant now) {
        if (failing) {
            return Health.FAILING;
        }
        if (!committed || lastSeenAt == null
                || Duration.between(lastSeenAt, now).compareTo(allowedSilence(mode, heartbeatSeconds)) > 0) {
            return Health.STALE;
        }
        return Health.OK;
    }
}
