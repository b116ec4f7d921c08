package io.k8scollector.testkit;

import io.k8scollector.protocol.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.databind.JsonNode;

/** An HTTPS client for a test cluster that trusts its CA (and nothing else) and sends its token. */
final class ClusterClient {

    private final TestCluster cluster;
    private final HttpClient http;

    ClusterClient(TestCluster cluster) {
        this.cluster = cluster;
        this.http = HttpClient.newBuilder().sslContext(trusting(cluster.caCertificatePem())).build();
    }

    /** GET with the cluster's token. */
    HttpResponse<byte[]> get(String pathAndQuery) {
        return send(request(pathAndQuery).header("Authorization", "Bearer " + cluster.token()).GET().build());
    }

    /** GET with the cluster's token and {@code accept} as the Accept header. */
    HttpResponse<byte[]> get(String pathAndQuery, String accept) {
        return send(request(pathAndQuery).header("Authorization", "Bearer " + cluster.token()).header("Accept", accept)
                .GET().build());
    }

    /** Opens a watch (a GET with the token whose answer streams); the caller closes it. */
    WatchClient watch(String pathAndQuery) {
        HttpRequest request = request(pathAndQuery).header("Authorization", "Bearer " + cluster.token()).GET().build();
        return new WatchClient(send(request, HttpResponse.BodyHandlers.ofLines()));
    }

    /** GET with the token, answer parsed as JSON. */
    JsonNode json(String pathAndQuery) {
        return Json.MAPPER.readTree(get(pathAndQuery).body());
    }

    /** Any request, with an optional Authorization header value and body. */
    HttpResponse<byte[]> send(String method, String pathAndQuery, String authorization, String body) {
        HttpRequest.Builder request = request(pathAndQuery).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    /** Any request with the cluster's token. */
    HttpResponse<byte[]> send(String method, String pathAndQuery, String body) {
        return send(method, pathAndQuery, "Bearer " + cluster.token(), body);
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(cluster.url() + pathAndQuery));
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A TLS context that trusts the given CA certificate and nothing else. */
    static SSLContext trusting(String pem) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("testcluster", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
