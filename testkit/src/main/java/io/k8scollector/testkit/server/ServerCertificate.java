package io.k8scollector.testkit.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for 127.0.0.1 and localhost (subject alternative names), made once per
 * JVM with the JDK's {@code keytool} and shared by every test cluster of that JVM. Clients trust it
 * as its own certificate authority.
 */
public final class ServerCertificate {

    private static final String ALIAS = "testcluster";
    private static final char[] PASSWORD = "testcluster".toCharArray();
    private static ServerCertificate shared;

    private final KeyStore keyStore;
    private final String pem;

    private ServerCertificate(KeyStore keyStore, String pem) {
        this.keyStore = keyStore;
        this.pem = pem;
    }

    /** The JVM's certificate, made on first use (about a second). */
    public static synchronized ServerCertificate shared() {
        if (shared == null) {
            shared = generate();
        }
        return shared;
    }

    /** The certificate in PEM form, for a kubeconfig's certificate-authority-data. */
    public String pem() {
        return pem;
    }

    SSLContext sslContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot set up TLS with the generated certificate", e);
        }
    }

    private static ServerCertificate generate() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("testcluster-cert");
            Path file = dir.resolve("server.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", ALIAS,
                    "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=testcluster",
                    "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "3650",
                    "-storetype", "PKCS12", "-keystore", file.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool could not make the test cluster's certificate: " + output);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, PASSWORD);
            }
            Certificate certificate = store.getCertificate(ALIAS);
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            return new ServerCertificate(store, pem);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make the test cluster's certificate with keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while making the test cluster's certificate", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // A leftover temporary file is harmless; the certificate is already in memory.
            return;
        }
    }
}
