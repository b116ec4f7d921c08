package io.k8scollector.testkit.server;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.k8scollector.testkit.Faults;
import io.k8scollector.testkit.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTPS listener on 127.0.0.1 that serves a store as a Kubernetes API server. Its connections
 * send without Nagle's delay ({@code TCP_NODELAY}), as the real API server's do (Go sets it on
 * every TCP connection): with the delay, each TLS record of a list response waits for the client's
 * acknowledgement of the one before, which on loopback halves the rate a client reads a list at.
 */
public final class ApiServer implements AutoCloseable {

    /**
     * The JDK's HTTP server reads this once per JVM, when its first server is made; a value given on
     * the command line is kept.
     */
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    static {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    private final ExecutorService executor;
    private final ApiHandler handler;
    private final HttpsConfigurator tls;
    private final int port;
    private HttpsServer server;

    private ApiServer(HttpsServer server, ExecutorService executor, ApiHandler handler, HttpsConfigurator tls) {
        this.server = server;
        this.executor = executor;
        this.handler = handler;
        this.tls = tls;
        this.port = server.getAddress().getPort();
    }

    /**
     * Starts serving.
     *
     * @param port the port, or 0 for any free one
     * @param token the bearer token every request must carry
     * @param limits how watches are paced
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static ApiServer start(ObjectStore store, Faults faults, String token, int port,
            ServerCertificate certificate, WatchLimits limits) {
        HttpsConfigurator tls = new HttpsConfigurator(certificate.sslContext());
        AtomicInteger threads = new AtomicInteger();
        // Unbounded: an open watch holds its thread, and must never hold one that another request needs.
        ExecutorService executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "testcluster-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        HttpsServer server = listen(port, tls, executor, null);
        ApiHandler handler = new ApiHandler(store, faults, token, "127.0.0.1:" + server.getAddress().getPort(), limits);
        server.createContext("/", handler);
        server.start();
        return new ApiServer(server, executor, handler, tls);
    }

    private static HttpsServer listen(int port, HttpsConfigurator tls, ExecutorService executor, ApiHandler handler) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
            server.setHttpsConfigurator(tls);
            server.setExecutor(executor);
            if (handler != null) {
                server.createContext("/", handler);
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + port, e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** Requests received so far, by path (without query), in path order. */
    public Map<String, Long> requests() {
        return Traffic.sums(handler.requests());
    }

    /**
     * Stops listening and closes every connection, open watches included, as an API server that
     * went down: connections to its port are refused until {@link #resume()}.
     */
    public synchronized void suspend() {
        server.stop(0);
    }

    /**
     * Listens again on the same port, with the same store, faults and token, after {@link #suspend()}.
     *
     * @throws UncheckedIOException when the port was taken meanwhile
     */
    public synchronized void resume() {
        server = listen(port, tls, executor, handler);
        server.start();
    }

    /** What the server has served so far: requests and response body bytes, by kind of request. */
    public Traffic traffic() {
        return handler.traffic();
    }

    @Override
    public synchronized void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
