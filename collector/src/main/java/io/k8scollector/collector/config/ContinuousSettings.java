package io.k8scollector.collector.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How the collector runs ({@code collector.mode}: one collection per process, or continuously, watching
 * the cluster) and the settings of continuous mode, read and validated with the rest of the
 * configuration (docs/configuration.md, "Continuous mode"). The continuous keys are validated in
 * either mode, so that a ConfigMap switched to continuous later is already known to be good.
 *
 * @param mode {@code collector.mode}, or {@link Mode#CONTINUOUS} when {@code -watch} is given
 * @param flush how long a seen change may wait before it is shipped, batched with others ({@code collector.flushSeconds})
 * @param heartbeat the longest time without a commit: an empty delta then ({@code collector.heartbeatSeconds})
 * @param resync how often every type is listed again and the differences sent; empty for never ({@code collector.resyncMinutes} 0)
 * @param shutdown the time given to ship what is pending after SIGTERM ({@code collector.shutdownSeconds})
 * @param metricsPort the port of /healthz, /readyz and /metrics on all addresses; empty when off ({@code collector.metricsPort} 0)
 * @param maxPendingBytes what pending changes may hold while the endpoint cannot take them ({@code collector.maxPendingMb})
 * @param fullFetchingMin the shortest time between two full fetchings sent to a 1.0 endpoint ({@code collector.fullFetchingMinSeconds})
 */
public record ContinuousSettings(
        Mode mode,
        Duration flush,
        Duration heartbeat,
        Optional<Duration> resync,
        Duration shutdown,
        Optional<Integer> metricsPort,
        long maxPendingBytes,
        Duration fullFetchingMin) {

    public static final String MODE = "collector.mode";
    public static final String FLUSH_SECONDS = "collector.flushSeconds";
    public static final String HEARTBEAT_SECONDS = "collector.heartbeatSeconds";
    public static final String RESYNC_MINUTES = "collector.resyncMinutes";
    public static final String SHUTDOWN_SECONDS = "collector.shutdownSeconds";
    public static final String METRICS_PORT = "collector.metricsPort";
    public static final String MAX_PENDING_MB = "collector.maxPendingMb";
    public static final String FULL_FETCHING_MIN_SECONDS = "collector.fullFetchingMinSeconds";

    /** The lowest port other than 0: the image runs as a user without the right to bind below 1024. */
    static final int FIRST_UNPRIVILEGED_PORT = 1024;

    /** One collection per process, or a process that watches and ships changes until stopped. */
    public enum Mode {
        CRONJOB,
        CONTINUOUS;

        /** The name configuration and the protocol use ({@code cronjob}, {@code continuous}). */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Reads the keys of {@code source}; {@code watch} is the {@code -watch} flag, which asks for
     * continuous mode whatever {@code collector.mode} says.
     *
     * @throws ConfigException naming the key, the value and what is allowed; or naming {@code -watch}
     *     when continuous mode is asked for with {@code -dry-run}
     */
    public static ContinuousSettings from(ConfigSource source, boolean watch, boolean dryRun) {
        String configured = source.choice(MODE, Mode.CRONJOB.wireName(),
                List.of(Mode.CRONJOB.wireName(), Mode.CONTINUOUS.wireName()));
        Mode mode = watch ? Mode.CONTINUOUS : Mode.valueOf(configured.toUpperCase(Locale.ROOT));
        if (mode == Mode.CONTINUOUS && dryRun) {
            String key = watch ? "-watch" : MODE;
            throw new ConfigException(key, key + ": continuous mode with -dry-run is not supported; "
                    + "a dry-run is one collection written to stdout.");
        }
        int resyncMinutes = source.integer(RESYNC_MINUTES, 360, 0, 10_080);
        return new ContinuousSettings(
                mode,
                Duration.ofSeconds(source.integer(FLUSH_SECONDS, 1, 1, 300)),
                Duration.ofSeconds(source.integer(HEARTBEAT_SECONDS, 60, 1, 3600)),
                resyncMinutes == 0 ? Optional.empty() : Optional.of(Duration.ofMinutes(resyncMinutes)),
                Duration.ofSeconds(source.integer(SHUTDOWN_SECONDS, 20, 1, 600)),
                metricsPort(source),
                source.integer(MAX_PENDING_MB, 64, 1, 4096) * 1024L * 1024L,
                Duration.ofSeconds(source.integer(FULL_FETCHING_MIN_SECONDS, 60, 1, 86_400)));
    }

    private static Optional<Integer> metricsPort(ConfigSource source) {
        Optional<String> raw = source.string(METRICS_PORT);
        if (raw.isPresent() && raw.get().equals("0")) {
            return Optional.empty();
        }
        try {
            return Optional.of(source.integer(METRICS_PORT, 9090, FIRST_UNPRIVILEGED_PORT, 65_535));
        } catch (ConfigException e) {
            throw ConfigException.invalid(METRICS_PORT, raw.orElse(""),
                    "0 (off) or a whole number from " + FIRST_UNPRIVILEGED_PORT + " to 65535");
        }
    }

    /** Whether the process watches the cluster until stopped. */
    public boolean continuous() {
        return mode == Mode.CONTINUOUS;
    }
}
