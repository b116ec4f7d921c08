package io.k8scollector.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShippingSettingsTest {

    private static final Map<String, String> KEYS =
            Map.of("INFRALIGHT_ACCESS_KEY", "access-1", "INFRALIGHT_SECRET_KEY", "s3cr3t-value");

    @Test
    void defaultsFollowTheProtocolAndTheLoginEndpointIsTheEndpoint() {
        ShippingSettings settings = ShippingSettings.from(
                ConfigSource.of(Map.of("endpoint", "https://ingest.example.com/")), KEYS, false);

        assertThat(settings.endpoint()).isEqualTo(URI.create("https://ingest.example.com"));
        assertThat(settings.loginEndpoint()).isEqualTo(settings.endpoint());
        assertThat(settings.pageSizeBytes()).isEqualTo(500 * 1024);
        assertThat(settings.concurrency()).isEqualTo(4);
        assertThat(settings.gzipLevel()).isEqualTo(1);
        assertThat(settings.retry().maxAttempts()).isEqualTo(8);
        assertThat(settings.retry().deadline()).isEqualTo(Duration.ofSeconds(120));
        assertThat(settings.overrideUniqueClusterId()).isFalse();
        assertThat(settings.caFile()).isEmpty();
        assertThat(settings.credentials().accessKey()).isEqualTo("access-1");
    }

    @Test
    void readsEveryKey() {
        ShippingSettings settings = ShippingSettings.from(ConfigSource.of(Map.of(
                "endpoint", "http://127.0.0.1:8080",
                "loginEndpoint", "https://login.example.com",
                "collector.overrideUniqueClusterId", "true",
                "collector.PageSize", "64",
                "collector.MaxGoRoutines", "2",
                "collector.gzipLevel", "6",
                "collector.retry.maxAttempts", "3",
                "collector.retry.deadlineSeconds", "9",
                "collector.requestTimeoutSeconds", "5")), KEYS, false);

        assertThat(settings.loginEndpoint()).isEqualTo(URI.create("https://login.example.com"));
        assertThat(settings.overrideUniqueClusterId()).isTrue();
        assertThat(settings.pageSizeKib()).isEqualTo(64);
        assertThat(settings.concurrency()).isEqualTo(2);
        assertThat(settings.gzipLevel()).isEqualTo(6);
        assertThat(settings.retry().maxAttempts()).isEqualTo(3);
        assertThat(settings.retry().deadline()).isEqualTo(Duration.ofSeconds(9));
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void capsConcurrencyAtTheDocumentedMaximum() {
        ShippingSettings settings = ShippingSettings.from(ConfigSource.of(
                Map.of("endpoint", "https://i.example.com", "collector.MaxGoRoutines", "50")), KEYS, false);

        assertThat(settings.concurrency()).isEqualTo(ShippingSettings.MAX_CONCURRENCY);
    }

    @Test
    void aMissingEndpointNamesTheKeyUnlessDryRun() {
        assertThatThrownBy(() -> ShippingSettings.from(ConfigSource.of(Map.of()), KEYS, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("endpoint is not set");

        assertThat(ShippingSettings.from(ConfigSource.of(Map.of()), Map.of(), true).endpoint()).isNull();
    }

    @Test
    void refusesAnEndpointThatIsNotAnHttpUrl() {
        assertThatThrownBy(() -> ShippingSettings.from(
                ConfigSource.of(Map.of("endpoint", "ftp://ingest.example.com")), KEYS, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("endpoint: 'ftp://ingest.example.com' is not valid; allowed: an http or https URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://collector:Pa55-w0rd@ingest.example.com", "http://collector:Pa55-w0rd@ingest.example.com",
        "https://collector:Pa55-w0rd@ingest example.com", "https://collector:Pa55/w0rd@ingest.example.com",
        "https://collector:Pa55@w0rd@ingest.example.com/v1"})
    void refusesAnEndpointWithUserInfoShowingItMasked(String url) {
        assertThatThrownBy(() -> ShippingSettings.from(ConfigSource.of(Map.of("endpoint", url)), KEYS, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("endpoint: '" + url.substring(0, url.indexOf(':', 8) + 1) + "***@")
                .hasMessageContaining("without user info")
                .message().doesNotContain("Pa55", "w0rd");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://Pa55w0rd@ingest.example.com", "Pa55w0rd@ingest.example.com"})
    void masksAUserInfoWithoutPasswordWhole(String url) {
        assertThat(ShippingSettings.masked(url)).doesNotContain("Pa55w0rd").endsWith("***@ingest.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://ingest.example.com", "http://10.0.0.5:8080", "http://127.example.com",
        "http://[::2]:8080"})
    void refusesPlainHttpOffLoopbackNamingTheKeyAndTheOverride(String url) {
        for (String key : List.of("endpoint", "loginEndpoint")) {
            Map<String, String> config = new HashMap<>(Map.of("endpoint", "https://ingest.example.com"));
            config.put(key, url);

            assertThatThrownBy(() -> ShippingSettings.from(ConfigSource.of(config), KEYS, false))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo(key))
                    .hasMessageStartingWith(key + ": '" + url + "' would send the keys and the inventory in clear")
                    .hasMessageContaining("collector.allowInsecureEndpoint=true");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080", "http://127.8.9.10", "http://localhost:9000", "http://LOCALHOST",
        "http://[::1]:8080"})
    void allowsPlainHttpOnALoopbackHost(String url) {
        ShippingSettings settings = ShippingSettings.from(
                ConfigSource.of(Map.of("endpoint", url, "loginEndpoint", url)), KEYS, false);

        assertThat(settings.endpoint()).hasToString(url);
        assertThat(settings.loginEndpoint()).hasToString(url);
    }

    @Test
    void allowsPlainHttpAnywhereOnlyWhenConfiguredTo() {
        ShippingSettings settings = ShippingSettings.from(ConfigSource.of(Map.of(
                "endpoint", "http://ingest.internal:8080", "collector.allowInsecureEndpoint", "true")), KEYS, false);

        assertThat(settings.endpoint()).hasToString("http://ingest.internal:8080");
    }

    @Test
    void aMissingSecretNamesTheVariableAndNeverAValue() {
        ConfigSource source = ConfigSource.of(Map.of("endpoint", "https://i.example.com"));

        assertThatThrownBy(() -> ShippingSettings.from(source, Map.of("INFRALIGHT_ACCESS_KEY", "access-1"), false))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("INFRALIGHT_SECRET_KEY"))
                .hasMessageStartingWith("INFRALIGHT_SECRET_KEY is not set")
                .hasMessageNotContaining("access-1");
    }

    @Test
    void credentialsNeverPrintTheirValues() {
        ShippingSettings settings = ShippingSettings.from(
                ConfigSource.of(Map.of("endpoint", "https://i.example.com")), KEYS, false);

        assertThat(settings.toString()).doesNotContain("s3cr3t-value").doesNotContain("access-1");
    }

    @Test
    void refusesAGzipLevelOutOfRange() {
        assertThatThrownBy(() -> ShippingSettings.from(ConfigSource.of(
                Map.of("endpoint", "https://i.example.com", "collector.gzipLevel", "11")), KEYS, false))
                .hasMessage("collector.gzipLevel: '11' is not valid; allowed: a whole number from 0 to 9.");
    }
}
