package io.k8scollector.receiver.cli;

import io.k8scollector.receiver.ingest.Limits;
import io.k8scollector.receiver.server.ReceiverServer;
import io.k8scollector.receiver.server.ReceiverSettings;
import io.k8scollector.receiver.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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

    @Option(names = "--retain", defaultValue = "20", description = "Committed snapshots kept per cluster (default ${DEFAULT-VALUE}).")
    int retain;

    @Option(names = "--metrics-token", description = "Bearer token /metrics requires (default: open).")
    String metricsToken;

    @Option(names = "--tls-cert", description = "PEM certificate chain; with --tls-key, serve HTTPS.")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM PKCS#8 private key of --tls-cert.")
    Path tlsKey;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Invalid --port " + port + ": use 0 to 65535.");
        }
        if (retain < 1) {
            throw new IllegalArgumentException("Invalid --retain " + retain + ": keep at least 1 snapshot.");
        }
        ReceiverSettings settings = new ReceiverSettings(host, port, retain, metricsToken, tlsCert, tlsKey,
                Limits.DEFAULT, ReceiverSettings.DEFAULT_IDLE_LIMIT);
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
