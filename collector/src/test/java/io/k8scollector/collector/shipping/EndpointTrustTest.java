package io.k8scollector.collector.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k8scollector.collector.config.ConfigException;
import io.k8scollector.collector.config.ConfigSource;
import io.k8scollector.collector.config.EndpointTrust;
import io.k8scollector.collector.config.EnvironmentProxySelector;
import io.k8scollector.collector.config.ShippingSettings;
import io.k8scollector.collector.retry.RetryPolicy;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.testkit.ingest.IngestEndpoint;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An https endpoint whose certificate a private CA signed, made with the JDK's real keytool. */
class EndpointTrustTest {

    private static final Commit.Report REPORT = new Commit.Report("0badc0de");

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;

    private static SSLContext serverTls;
    private static Path caFile;

    @BeforeAll
    static void makeACertificate() throws Exception {
        Path keystore = dir.resolve("ingest.p12");
        caFile = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "ingest", "-keyalg", "EC", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "ingest", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", caFile.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
    }

    @Test
    void trustsAnEndpointSignedByTheConfiguredCaFile() throws Exception {
        try (IngestEndpoint endpoint = new IngestEndpoint(serverTls);
                HttpSink sink = new HttpSink(settings(endpoint, Optional.of(caFile)))) {
            String fetchingId = open(sink);
            sink.accept(TestRecords.object("web", "v1", "Pod", "shop", 300));

            assertThat(sink.commit(List.of(), Instant.now(), REPORT).objects()).isEqualTo(1);
            assertThat(endpoint.stored(fetchingId, RecordKind.OBJECTS)).containsExactly("u:uid-web");
        }
    }

    @Test
    void refusesAnUnknownCaAtOnceAndSaysWhichKeyFixesIt() throws Exception {
        try (IngestEndpoint endpoint = new IngestEndpoint(serverTls);
                HttpSink sink = new HttpSink(settings(endpoint, Optional.empty()))) {

            assertThatThrownBy(() -> open(sink))
                    .isInstanceOfSatisfying(ShippingException.class, e -> assertThat(e.status()).isZero())
                    .hasMessageContaining("TLS verification failed")
                    .hasMessageContaining("collector.endpointCaFile");
            assertThat(sink.stats().retriesByCause()).isEmpty();
        }
    }

    @Test
    void aCaFileThatIsNotPemNamesTheKey() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");

        assertThatThrownBy(() -> EndpointTrust.sslContext(Optional.of(notPem)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("collector.endpointCaFile: '" + notPem + "'");
    }

    @Test
    void aBadCaFileIsFoundWhenTheSettingsAreReadBeforeAnythingIsContacted() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not-either.pem"), "hello");
        Map<String, String> keys = Map.of("INFRALIGHT_ACCESS_KEY", "a", "INFRALIGHT_SECRET_KEY", "s");

        assertThatThrownBy(() -> ShippingSettings.from(ConfigSource.of(Map.of("endpoint", "https://ingest.example.com",
                        "collector.endpointCaFile", notPem.toString())), keys, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("collector.endpointCaFile: '" + notPem + "'");
        assertThat(ShippingSettings.from(ConfigSource.of(Map.of("endpoint", "https://ingest.example.com",
                "collector.endpointCaFile", caFile.toString())), keys, false).caFile()).contains(caFile);
    }

    private static String open(HttpSink sink) {
        String fetchingId = FetchingId.generate(Instant.now());
        sink.open("tls-test", new FetchingStart(fetchingId, "uid-1", false, new FetchingStart.Collector("1.0.0"), Instant.now()));
        return fetchingId;
    }

    private static ShippingSettings settings(IngestEndpoint endpoint, Optional<Path> ca) {
        return new ShippingSettings(endpoint.uri(), endpoint.uri(),
                new ShippingSettings.Credentials(IngestEndpoint.ACCESS_KEY, IngestEndpoint.SECRET_KEY), false, 8, 1, 1,
                new RetryPolicy(3, Duration.ofSeconds(5), Duration.ofMillis(5), Duration.ofMillis(20)), ca,
                Duration.ofSeconds(2), Duration.ofSeconds(5), EnvironmentProxySelector.from(Map.of()));
    }

    private static void keytool(String... args) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }
}
