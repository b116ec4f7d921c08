package io.k8scollector.testkit;

import io.k8scollector.testkit.catalog.Catalog;
import io.k8scollector.testkit.generator.Churn;
import io.k8scollector.testkit.generator.ClusterGenerator;
import io.k8scollector.testkit.server.ApiServer;
import io.k8scollector.testkit.server.ServerCertificate;
import io.k8scollector.testkit.server.Traffic;
import io.k8scollector.testkit.server.WatchLimits;
import io.k8scollector.testkit.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * A faithful Kubernetes API server on 127.0.0.1 over HTTPS, loaded with a seeded, realistic cluster:
 * discovery of built-in and custom groups, paged lists, selectors, single GETs, watches, bearer-token
 * auth, faults on demand and, when the spec asks, a steady churn of changes. Start one per test class
 * and close it.
 *
 * <pre>{@code
 * try (TestCluster cluster = TestCluster.start(ClusterSpec.builder().pods(100).seed(42).build())) {
 *     Path kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
 *     cluster.faults().forbid("", "secrets");
 * }
 * }</pre>
 */
public final class TestCluster implements AutoCloseable {

    /** The name of the cluster, user and context in the kubeconfig it writes. */
    public static final String CONTEXT = "testcluster";

    private final ObjectStore store;
    private final Faults faults;
    private final String token;
    private final ServerCertificate certificate;
    private final ApiServer server;
    private final Churn churn;

    private TestCluster(ObjectStore store, Faults faults, String token, ServerCertificate certificate,
            ApiServer server, Churn churn) {
        this.store = store;
        this.faults = faults;
        this.token = token;
        this.certificate = certificate;
        this.server = server;
        this.churn = churn;
    }

    /**
     * Listens on the spec's port, then generates the objects of {@code spec}; returns when they are
     * served, with the spec's churn started.
     *
     * @throws java.io.UncheckedIOException when the port cannot be bound
     */
    public static TestCluster start(ClusterSpec spec) {
        ObjectStore store = new ObjectStore(new Catalog(), spec.watchHistory());
        Faults faults = new Faults();
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String token = "testcluster-" + HexFormat.of().formatHex(secret);
        ServerCertificate certificate = ServerCertificate.shared();
        // Bind first: a taken port fails at once rather than after generating a large cluster.
        ApiServer server = ApiServer.start(store, faults, token, spec.port(), certificate,
                new WatchLimits(spec.bookmarkInterval(), spec.maxWatch()));
        Churn churn = new Churn(store, spec);
        try {
            new ClusterGenerator(spec).populate(store);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        if (spec.churn() > 0) {
            churn.start(spec.churn());
        }
        return new TestCluster(store, faults, token, certificate, server, churn);
    }

    /** {@code https://127.0.0.1:PORT}. */
    public URI url() {
        return URI.create("https://127.0.0.1:" + server.port());
    }

    /** The bearer token every request must carry; without it the server answers 401. */
    public String token() {
        return token;
    }

    /** The server's certificate in PEM form; trust it as the cluster's certificate authority. */
    public String caCertificatePem() {
        return certificate.pem();
    }

    /**
     * Writes a kubeconfig with this cluster (CA data included), a token user and the current context
     * {@value #CONTEXT}.
     *
     * @return {@code file}
     */
    public Path writeKubeconfig(Path file) {
        String ca = Base64.getEncoder().encodeToString(caCertificatePem().getBytes(StandardCharsets.US_ASCII));
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                    certificate-authority-data: %3$s
                users:
                - name: %1$s
                  user:
                    token: %4$s
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s
                current-context: %1$s
                """.formatted(CONTEXT, url(), ca, token);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the kubeconfig " + file, e);
        }
    }

    /** The faults to answer; change them at any time. */
    public Faults faults() {
        return faults;
    }

    /** The objects served; change them at any time. */
    public ObjectStore store() {
        return store;
    }

    /**
     * The churn of this cluster's spec: running when the spec asked for a rate, else idle, for a test
     * to make its changes one by one with {@link Churn#step()}.
     */
    public Churn churn() {
        return churn;
    }

    /** Requests received so far, by path without query. */
    public Map<String, Long> requests() {
        return server.requests();
    }

    /**
     * List requests so far (each page of a collection's GET without {@code watch}), by path without
     * query: {@link Traffic#lists()}, the count behind {@code traffic().of(LIST)} too.
     */
    public Map<String, Long> listRequests() {
        return server.traffic().lists();
    }

    /** The sum of {@link #listRequests()}: {@code traffic().of(Kind.LIST).requests()}. */
    public long listRequestCount() {
        return server.traffic().of(Traffic.Kind.LIST).requests();
    }

    /**
     * Goes down: stops listening (connections are refused) and closes every connection, open
     * watches included, until {@link #resume()}; the store keeps changing meanwhile if asked to.
     */
    public void suspend() {
        server.suspend();
    }

    /** Listens again on the same port after {@link #suspend()}. */
    public void resume() {
        server.resume();
    }

    /** What it has served so far: requests and response body bytes, by kind of request. */
    public Traffic traffic() {
        return server.traffic();
    }

    @Override
    public void close() {
        churn.close();
        server.close();
    }
}
