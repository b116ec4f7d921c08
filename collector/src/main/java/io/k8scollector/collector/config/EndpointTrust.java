package io.k8scollector.collector.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS context for the ingest endpoint: the system trust store plus, when
 * {@code collector.endpointCaFile} is set, the certificates of that PEM file (a private CA in
 * front of the endpoint). Host names are always verified.
 */
public final class EndpointTrust {

    private EndpointTrust() {}

    /**
     * An SSL context trusting the system's CAs and those of {@code caFile}.
     *
     * @throws ConfigException naming {@code collector.endpointCaFile} when the file cannot be read
     *     or holds no certificate
     */
    public static SSLContext sslContext(Optional<Path> caFile) {
        try {
            if (caFile.isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate system : systemTrustManager().getAcceptedIssuers()) {
                store.setCertificateEntry("system-" + n++, system);
            }
            Collection<? extends Certificate> extra = readCertificates(caFile.get());
            for (Certificate certificate : extra) {
                store.setCertificateEntry("ca-file-" + n++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("The JVM's TLS set-up is unusable: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> readCertificates(Path file) {
        String key = ShippingSettings.ENDPOINT_CA_FILE;
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new ConfigException(key, key + ": '" + file + "' holds no certificate; allowed: a PEM file of CA certificates.");
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(key, key + ": '" + file + "' is not readable as PEM certificates (" + e.getMessage()
                    + "); allowed: a PEM file of CA certificates.");
        }
    }

    private static X509TrustManager systemTrustManager() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager in the JVM");
    }
}
