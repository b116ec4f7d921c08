package io.k8scollector.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k8scollector.receiver.ingest.Limits;
import io.k8scollector.receiver.store.Retention;
import io.k8scollector.receiver.server.Quotas;
import io.k8scollector.receiver.server.ReceiverServer;
import io.k8scollector.receiver.server.ReceiverSettings;
import io.k8scollector.receiver.store.Database;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tls-cert}/{@code --tls-key}: HTTPS from PEM files made by openssl. */
class TlsTest {

    @Test
    void servesHttpsWithThePemCertificateAndKey(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor()).isZero();

        try (Database db = Database.open(TestDatabases.sqlite(dir));
                ReceiverServer server = ReceiverServer.start(new ReceiverSettings("127.0.0.1", 0, new Retention(3, java.time.Duration.ZERO), null, cert, key,
                        Limits.DEFAULT, ReceiverSettings.DEFAULT_IDLE_LIMIT, Quotas.DEFAULT, null), db, Clock.systemUTC())) {
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(cert)).build();
            HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + server.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok");

            HttpClient untrusting = HttpClient.newHttpClient();
            assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + server.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void aKeyThatIsNotPkcs8PemIsBadInputNamingTheFile(@TempDir Path dir) throws IOException {
        Path cert = dir.resolve("cert.pem");
        Path key = Files.writeString(dir.resolve("key.pem"), "not a key");
        Files.writeString(cert, "not a certificate");
        try (Database db = Database.open(TestDatabases.sqlite(dir))) {
            assertThatThrownBy(() -> ReceiverServer.start(new ReceiverSettings("127.0.0.1", 0, new Retention(3, java.time.Duration.ZERO), null, cert, key,
                    Limits.DEFAULT, ReceiverSettings.DEFAULT_IDLE_LIMIT, Quotas.DEFAULT, null), db, Clock.systemUTC()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(cert.toString());
        }
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            store.setCertificateEntry("receiver", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
