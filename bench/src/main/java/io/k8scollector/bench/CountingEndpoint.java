package io.k8scollector.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * An ingest endpoint that only counts: it answers login with a token and every other request with
 * 204, reading and counting the bytes of each body without decoding it, so that a benchmark
 * measures the sender and not the server. Any key pair logs in. Given a delay, it stands in for a
 * slow endpoint: each request is answered that long after its body was read, without holding a
 * thread meanwhile, so that however many requests a sender has in flight each waits the same.
 */
public final class CountingEndpoint implements AutoCloseable {

    private static final String USAGE = "usage: CountingEndpoint [--delay-ms N]";

    private static final byte[] TOKEN =
            "{\"access_token\":\"bench\",\"expires_in\":3600,\"token_type\":\"Bearer\"}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService answering = Executors.newSingleThreadScheduledExecutor();
    private final Duration delay;
    private final LongAdder requests = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    /** An endpoint that answers at once. */
    public CountingEndpoint() throws IOException {
        this(Duration.ZERO);
    }

    /**
     * An endpoint that answers each request {@code delay} after it has read its body.
     *
     * @throws IllegalArgumentException when the delay is negative
     */
    public CountingEndpoint(Duration delay) throws IOException {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("the delay must be 0 or more, not " + delay);
        }
        this.delay = delay;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Runs an endpoint on a free loopback port until the process is stopped: prints its URL on
     * stdout, and on stop the requests and body bytes it received on stderr. {@code --delay-ms N}
     * answers each request N milliseconds after its body was read; a bad argument exits 2.
     */
    public static void main(String[] args) throws IOException {
        Duration delay;
        try {
            delay = delay(args);
        } catch (IllegalArgumentException e) {
            System.err.println("CountingEndpoint: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountingEndpoint endpoint = new CountingEndpoint(delay);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.printf("%d requests, %d body bytes%n", endpoint.requests(), endpoint.bytes());
            endpoint.close();
        }));
        System.out.println(endpoint.uri());
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Requests received, login and commit included. */
    public long requests() {
        return requests.sum();
    }

    /** Request body bytes received, as they came on the wire. */
    public long bytes() {
        return bytes.sum();
    }

    /**
     * The delay the command line asks for: none, or {@code --delay-ms N}.
     *
     * @throws IllegalArgumentException naming the bad argument and what is allowed
     */
    static Duration delay(String... args) {
        if (args.length == 0) {
            return Duration.ZERO;
        }
        if (args.length != 2 || !args[0].equals("--delay-ms")) {
            throw new IllegalArgumentException("unknown arguments " + String.join(" ", args) + "; " + USAGE);
        }
        long millis;
        try {
            millis = Long.parseLong(args[1]);
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis < 0) {
            throw new IllegalArgumentException("--delay-ms \"" + args[1]
                    + "\" is not a whole number of milliseconds, 0 or more; " + USAGE);
        }
        return Duration.ofMillis(millis);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] buffer = new byte[64 * 1024];
            long n = 0;
            for (int read; (read = in.read(buffer)) > 0; ) {
                n += read;
            }
            requests.increment();
            bytes.add(n);
        }
        if (delay.isZero()) {
            answer(exchange);
        } else {
            answering.schedule(() -> answerLater(exchange), delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void answerLater(HttpExchange exchange) {
        try {
            answer(exchange);
        } catch (IOException e) {
            // The sender gave up waiting (it retries or fails on its own); the count stands.
            System.err.println("answering " + exchange.getRequestURI() + " failed: " + e);
        }
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestURI().getPath().endsWith("/login")) {
                exchange.sendResponseHeaders(200, TOKEN.length);
                exchange.getResponseBody().write(TOKEN);
            } else {
                exchange.sendResponseHeaders(204, -1);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        answering.shutdownNow();
    }
}
