package io.k8scollector.receiver.server;

import io.k8scollector.receiver.health.HealthRule;
import io.k8scollector.receiver.ingest.Limits;
import io.k8scollector.receiver.store.Retention;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How {@code serve} runs: where it listens, what it keeps, who may read the metrics, and what
 * one caller may take of it.
 *
 * @param retention which committed snapshots each cluster keeps
 * @param metricsToken bearer token that {@code /metrics} requires; null leaves it open
 * @param tlsCert PEM certificate chain; with {@code tlsKey} the receiver serves HTTPS (both null: HTTP)
 * @param idleLimit how long an uncommitted fetching may go without a request before it is discarded
 * @param trustedProxyHeader the header in which a trusted proxy in front names the client's
 *     address (its last entry is used); null: the client is the socket's peer
 * @param health when a cluster's collector counts as stale ({@code --stale-after})
 */
public record ReceiverSettings(
        String host, int port, Retention retention, String metricsToken, Path tlsCert, Path tlsKey, Limits limits,
        Duration idleLimit, Quotas quotas, String trustedProxyHeader, HealthRule health) {

    public ReceiverSettings {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both or neither.");
        }
    }

    /** Settings with the default {@link HealthRule}. */
    public ReceiverSettings(
            String host, int port, Retention retention, String metricsToken, Path tlsCert, Path tlsKey, Limits limits,
            Duration idleLimit, Quotas quotas, String trustedProxyHeader) {
        this(host, port, retention, metricsToken, tlsCert, tlsKey, limits, idleLimit, quotas, trustedProxyHeader,
                new HealthRule(HealthRule.DEFAULT_STALE_AFTER));
    }

    public static final Duration DEFAULT_IDLE_LIMIT = Duration.ofHours(24);

    /** Plain HTTP on {@code port} (0: any free port) with every other default. */
    public static ReceiverSettings onPort(int port) {
        return new ReceiverSettings("0.0.0.0", port,
                new Retention(Retention.DEFAULT_MINIMUM, Retention.DEFAULT_AGE), null, null, null, Limits.DEFAULT,
                DEFAULT_IDLE_LIMIT, Quotas.DEFAULT, null);
    }

    public ReceiverSettings withHost(String newHost) {
        return new ReceiverSettings(newHost, port, retention, metricsToken, tlsCert, tlsKey, limits, idleLimit, quotas,
                trustedProxyHeader, health);
    }

    public ReceiverSettings withRetention(Retention newRetention) {
        return new ReceiverSettings(host, port, newRetention, metricsToken, tlsCert, tlsKey, limits, idleLimit, quotas,
                trustedProxyHeader, health);
    }

    public ReceiverSettings withQuotas(Quotas newQuotas) {
        return new ReceiverSettings(host, port, retention, metricsToken, tlsCert, tlsKey, limits, idleLimit, newQuotas,
                trustedProxyHeader, health);
    }

    public ReceiverSettings withTrustedProxyHeader(String header) {
        return new ReceiverSettings(host, port, retention, metricsToken, tlsCert, tlsKey, limits, idleLimit, quotas, header,
                health);
    }

    /** These settings with a CronJob's collector stale after {@code staleAfter} of silence. */
    public ReceiverSettings withStaleAfter(Duration staleAfter) {
        return new ReceiverSettings(host, port, retention, metricsToken, tlsCert, tlsKey, limits, idleLimit, quotas,
                trustedProxyHeader, new HealthRule(staleAfter));
    }
}
