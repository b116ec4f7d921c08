package io.k8scollector.collector.health;

import com.sun.net.httpserver.HttpExchange;
import io.k8scollector.collector.CollectorException;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code collector.metricsPort} on all addresses: {@code GET /healthz} (liveness), {@code GET /readyz}
 * (readiness), 200 or 503 with the reason as plain text, and {@code GET /metrics} in the Prometheus
 * text format, served by the Prometheus client's exporter on the JDK's HTTP server. Any other path
 * is 404.
 */
public final class HealthServer implements AutoCloseable {

    private final HTTPServer server;

    private HealthServer(HTTPServer server) {
        this.server = server;
    }

    /**
     * Listens on {@code port} (0: any free port, for tests).
     *
     * @throws CollectorException naming the port when it cannot be bound
     */
    public static HealthServer start(int port, CollectorHealth health, CollectorMetrics metrics) {
        try {
            return new HealthServer(HTTPServer.builder()
                    .port(port)
                    .registry(metrics.registry())
                    .registerHealthHandler(false)
                    .defaultHandler(exchange -> probe(exchange, health))
                    .buildAndStart());
        } catch (IOException e) {
            throw new CollectorException("Cannot listen on collector.metricsPort " + port + ": " + e.getMessage() + ".", e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getPort();
    }

    private static void probe(HttpExchange exchange, CollectorHealth health) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            CollectorHealth.Verdict verdict = switch (path) {
                case "/healthz" -> health.liveness();
                case "/readyz" -> health.readiness();
                default -> null;
            };
            if (verdict == null) {
                answer(exchange, 404, "not found: " + path + " (the paths are /healthz, /readyz and /metrics)");
            } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                answer(exchange, 405, "only GET");
            } else {
                answer(exchange, verdict.ok() ? 200 : 503, verdict.reason());
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
