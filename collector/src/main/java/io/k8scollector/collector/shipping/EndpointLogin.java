package io.k8scollector.collector.shipping;

import io.k8scollector.collector.Version;
import io.k8scollector.collector.config.ShippingSettings;
import io.k8scollector.collector.retry.Retrier;

/**
 * A login to the endpoint and nothing else, for {@code check}: the same client, retries and
 * messages as a run's, so the check fails where the run's login would.
 */
public final class EndpointLogin {

    private EndpointLogin() {}

    /**
     * Logs in with the key pair of {@code settings}, which must name an endpoint and keys.
     *
     * @throws ShippingException when the endpoint is unreachable or refuses the keys
     */
    public static void login(ShippingSettings settings) {
        if (settings.endpoint() == null || settings.credentials() == null) {
            throw new IllegalArgumentException("a login needs an endpoint and a key pair");
        }
        new IngestClient(settings, Version.current(), new BodyEncoder(Compressor.gzip(settings.gzipLevel())), new ShippingTally(),
                Retrier.of(settings.retry())).login();
    }
}
