package io.k8scollector.receiver.server;

import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Serves HTTPS instead of HTTP from a PEM certificate chain and a PEM PKCS#8 private key (RSA or
 * EC, unencrypted: {@code openssl pkcs8 -topk8 -nocrypt} converts other forms).
 */
final class TlsConnector {

    private TlsConnector() {}

    static void install(JavalinConfig config, String host, int port, Path certFile, Path keyFile) {
        KeyStore store = keyStore(certFile, keyFile);
        config.jetty.addConnector((server, http) -> {
            http.addCustomizer(new SecureRequestCustomizer());
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStore(store);
            tls.setKeyStorePassword("");
            ServerConnector connector = new ServerConnector(server, tls, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
            return connector;
        });
    }

    private static KeyStore keyStore(Path certFile, Path keyFile) {
        Collection<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(certFile)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read the certificate chain --tls-cert " + certFile
                    + ": use a PEM file of X.509 certificates.", e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("--tls-cert " + certFile + " holds no certificate: use a PEM file.");
        }
        PrivateKey key = privateKey(keyFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("receiver", key, new char[0], chain.toArray(Certificate[]::new));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--tls-key " + keyFile + " does not match --tls-cert " + certFile + ".", e);
        }
    }

    private static PrivateKey privateKey(Path keyFile) {
        String pem;
        try {
            pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read --tls-key " + keyFile + ".", e);
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("--tls-key " + keyFile + " is not an unencrypted PEM PKCS#8 key"
                    + " (-----BEGIN PRIVATE KEY-----): convert it with openssl pkcs8 -topk8 -nocrypt.");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm; try the next
            }
        }
        throw new IllegalArgumentException("--tls-key " + keyFile + " is not an RSA, EC or Ed25519 key.");
    }
}
