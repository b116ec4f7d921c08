package io.k8scollector.receiver.cli;

import io.k8scollector.receiver.ingest.Limits;
import io.k8scollector.receiver.server.Quotas;
import io.k8scollector.receiver.server.ReceiverServer;
import io.k8scollector.receiver.server.ReceiverSettings;
import io.k8scollector.receiver.store.Database;
import io.k8scollector.receiver.store.Retention;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: runs the receiver until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the ingest protocol, the query API and the inventory page.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--db", defaultValue = Database.DEFAULT_URL,
            description = "jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB (default ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--retain", defaultValue = "20", paramLabel = "N",
            description = "Committed snapshots, heartbeats not counted, that each cluster keeps at least, whatever"
                    + " their age (default ${DEFAULT-VALUE}).")
    int retain;

    @Option(names = "--retain-hours", defaultValue = "168", paramLabel = "H",
            description = "Hours for which every committed snapshot is kept; older ones past --retain are merged"
                    + " away (default ${DEFAULT-VALUE}).")
    int retainHours;

    @Option(names = "--metrics-token", description = "Bearer token /metrics requires (default: open).")
    String metricsToken;

    @Option(names = "--tls-cert", description = "PEM certificate chain; with --tls-key, serve HTTPS.")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM PKCS#8 private key of --tls-cert.")
    Path tlsKey;

    @Option(names = "--trusted-proxy-header", paramLabel = "NAME",
            description = "Header in which a trusted proxy in front names the client's address (its last entry),"
                    + " for the login rate limits (default: the socket's peer). Only behind a proxy that sets it.")
    String trustedProxyHeader;

    @Option(names = "--max-requests-per-key", defaultValue = "16", paramLabel = "N",
            description = "Requests one access key may have in flight on this replica; past it 429 (default ${DEFAULT-VALUE}).")
    int maxRequestsPerKey;

    @Option(names = "--open-fetching-idle", defaultValue = "15m", paramLabel = "DURATION",
            converter = MinutesOrHours.class,
            description = "How long an uncommitted fetching counts toward its cluster's 4 open fetchings after its"
                    + " last request, e.g. 15m or 1h (default ${DEFAULT-VALUE}); the sweep discards it after 24h.")
    Duration openFetchingIdle;

    @Option(names = "--stale-after", defaultValue = "45m", paramLabel = "DURATION", converter = MinutesOrHours.class,
            description = "A cluster whose CronJob (or 1.0) collector sent nothing for this long is stale, e.g. 45m or 2h"
                    + " (default ${DEFAULT-VALUE}); a continuous collector is stale after 3 of its heartbeats.")
    Duration staleAfter;

    /** A duration as a whole number of seconds, minutes or hours: {@code 90s}, {@code 15m}, {@code 1h}. */
    static final class MinutesOrHours implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Matcher m = Pattern.compile("([1-9][0-9]{0,5})([smh])").matcher(value.trim());
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a duration: use a whole number with s, m or h, e.g. 15m.");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new BadInput("Invalid --port " + port + ": use 0 to 65535.");
        }
        if (retain < 1) {
            throw new BadInput("Invalid --retain " + retain + ": keep at least 1 snapshot.");
        }
        if (retainHours < 0) {
            throw new BadInput("Invalid --retain-hours " + retainHours + ": use 0 or more hours.");
        }
        if (maxRequestsPerKey < 1) {
            throw new BadInput("Invalid --max-requests-per-key " + maxRequestsPerKey + ": allow at least 1.");
        }
        if (openFetchingIdle.compareTo(ReceiverSettings.DEFAULT_IDLE_LIMIT) > 0) {
            throw new BadInput("Invalid --open-fetching-idle " + openFetchingIdle.toMinutes()
                    + "m: at most the sweep's " + ReceiverSettings.DEFAULT_IDLE_LIMIT.toHours() + "h.");
        }
        if (trustedProxyHeader != null && !trustedProxyHeader.matches("[A-Za-z0-9-]+")) {
            throw new BadInput("Invalid --trusted-proxy-header '" + trustedProxyHeader
                    + "': use a header name (letters, digits, dashes), e.g. X-Forwarded-For.");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new BadInput("--tls-cert and --tls-key go together: give both or neither.");
        }
        ReceiverSettings settings = new ReceiverSettings(host, port,
                new Retention(retain, Duration.ofHours(retainHours)), metricsToken, tlsCert, tlsKey,
                Limits.DEFAULT, ReceiverSettings.DEFAULT_IDLE_LIMIT, Quotas.DEFAULT.withRequestsInFlightPerKey(maxRequestsPerKey)
                        .withOpenFetchingIdle(openFetchingIdle),
                trustedProxyHeader).withStaleAfter(staleAfter);
        Database database = Database.open(db);
        ReceiverServer server;
        try {
            server = ReceiverServer.start(settings, database, Clock.systemUTC());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            database.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
