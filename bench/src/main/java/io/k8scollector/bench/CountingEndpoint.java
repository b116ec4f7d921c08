package io.k8scollector.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * An ingest endpoint that only counts: it answers login with a token and every other request with
 * 204, reading and counting the bytes of each body without decoding it, so that a benchmark
 * measures the sender and not the server. Any key pair logs in.
 */
public final class CountingEndpoint implements AutoCloseable {

    private static final byte[] TOKEN =
            "{\"access_token\":\"bench\",\"expires_in\":3600,\"token_type\":\"Bearer\"}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final LongAdder requests = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    public CountingEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Runs an endpoint on a free loopback port until the process is stopped: prints its URL on
     * stdout, and on stop the requests and body bytes it received on stderr.
     */
    public static void main(String[] args) throws IOException {
        CountingEndpoint endpoint = new CountingEndpoint();
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

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] buffer = new byte[64 * 1024];
            long n = 0;
            for (int read; (read = in.read(buffer)) > 0; ) {
                n += read;
            }
            requests.increment();
            bytes.add(n);
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
    }
}
