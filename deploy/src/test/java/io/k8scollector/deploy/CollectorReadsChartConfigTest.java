package io.k8scollector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.config.CollectorConfig;
import io.k8scollector.collector.config.CommandLineFlags;
import io.k8scollector.collector.config.ContinuousSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The chart's ConfigMap, written out as the kubelet mounts it (one file per key), read by the
 * collector's own configuration code: every key the chart writes is one the collector accepts.
 */
class CollectorReadsChartConfigTest {

    @TempDir
    Path home;

    @Test
    void theCollectorAcceptsTheConfigMapOfEveryValueChanged() throws IOException {
        Manifests manifests = new Helm(home).render(ValueSets.NON_DEFAULT);

        CollectorConfig config = read(manifests, "staging-2");

        assertThat(config.selection().resources()).isEqualTo(manifests.configLines("collector.resources"))
                .contains("applications.argoproj.io", "secrets").doesNotContain("leases.coordination.k8s.io");
        assertThat(config.selection().excludes())
                .containsExactly("*.flowcontrol.apiserver.k8s.io", "widgets.example.test", "events");
        assertThat(config.selection().watchNamespace()).isEqualTo("shop");
        assertThat(config.selection().ignoreNamespaces()).containsExactlyInAnyOrder("kube-system", "kube-public");
        assertThat(config.selection().labelSelector()).isEqualTo("tier!=cache");
        assertThat(config.limits()).isEqualTo(new CollectorConfig.Limits(100, 3, 12, 900));
        assertThat(config.shipping().overrideUniqueClusterId()).isTrue();
        assertThat(config.shipping().endpoint()).hasToString("https://ingest.example.test/api");
        assertThat(config.shipping().loginEndpoint()).hasToString("https://login.example.test");
        assertThat(config.shipping().pageSizeKib()).isEqualTo(256);
        assertThat(config.shipping().concurrency()).isEqualTo(2);
        assertThat(config.shipping().gzipLevel()).isEqualTo(6);
        assertThat(config.shipping().retry().maxAttempts()).isEqualTo(4);
        assertThat(config.redaction().secrets().name()).isEqualToIgnoringCase("drop");
        assertThat(config.redaction().redactAnnotations()).contains("example.test/token");
    }

    @Test
    void theCollectorAcceptsTheConfigMapOfTheDefaults() throws IOException {
        Manifests manifests = new Helm(home).render(ValueSets.REQUIRED);

        CollectorConfig config = read(manifests, "prod-eu_1");

        assertThat(config.selection().resources()).isEqualTo(manifests.configLines("collector.resources"));
        assertThat(config.selection().excludes()).isEmpty();
        assertThat(config.limits()).isEqualTo(new CollectorConfig.Limits(500, 2, 50, 1500));
        assertThat(config.shipping().loginEndpoint()).hasToString("https://ingest.example.test/api");
        assertThat(config.shipping().pageSizeKib()).isEqualTo(500);
        assertThat(config.redaction().secrets().name()).isEqualToIgnoringCase("hash");
    }

    @Test
    void theCollectorReadsTheContinuousSettingsTheChartWrites() throws IOException {
        Manifests manifests = new Helm(home).render(ValueSets.REQUIRED + """
                mode: continuous
                continuous: {flushSeconds: 2, heartbeatSeconds: 30, resyncMinutes: 0, shutdownSeconds: 15,
                             metricsPort: 9191, maxPendingMb: 32, fullFetchingMinSeconds: 120}
                """);

        ContinuousSettings settings = read(manifests, "prod-eu_1").continuous();

        assertThat(settings).isEqualTo(new ContinuousSettings(ContinuousSettings.Mode.CONTINUOUS, Duration.ofSeconds(2),
                Duration.ofSeconds(30), Optional.empty(), Duration.ofSeconds(15), Optional.of(9191), 32L << 20,
                Duration.ofSeconds(120)));
        assertThat(read(new Helm(home).render(ValueSets.REQUIRED), "prod-eu_1").continuous().mode())
                .isEqualTo(ContinuousSettings.Mode.CRONJOB);
    }

    /** A CA of the JVM's own trust store as a PEM file, standing in for the one the chart mounts. */
    private Path standInCaFile() throws IOException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            X509Certificate ca = ((X509TrustManager) factory.getTrustManagers()[0]).getAcceptedIssuers()[0];
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            return Files.writeString(home.resolve("stand-in-ca.pem"), pem);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM's trust store is unusable", e);
        }
    }

    /** The collector's configuration from this ConfigMap, as the CronJob's pod would start it. */
    private CollectorConfig read(Manifests manifests, String clusterId) throws IOException {
        Path configDir = Files.createDirectories(home.resolve("etc-config"));
        for (Map.Entry<String, JsonNode> entry : manifests.one("ConfigMap").path("data").properties()) {
            String value = entry.getValue().asString();
            if (entry.getKey().equals("collector.endpointCaFile")) {
                // the pod mounts that file from a Secret, and the collector reads it with its configuration
                assertThat(value).startsWith("/etc/");
                value = standInCaFile().toString();
            }
            Files.writeString(configDir.resolve(entry.getKey()), value);
        }
        Path kubeconfig = Files.writeString(home.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
        CommandLineFlags flags = new CommandLineFlags(kubeconfig, configDir, false, false, clusterId, null);
        return CollectorConfig.from(flags, Map.of(
                "INFRALIGHT_ACCESS_KEY", "the-access-key",
                "INFRALIGHT_SECRET_KEY", "the-secret-key",
                "REDACTION_KEY", "a-fake-redaction-key-for-the-chart-tests"));
    }
}
