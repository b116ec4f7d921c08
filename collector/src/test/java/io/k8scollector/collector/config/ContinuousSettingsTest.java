package io.k8scollector.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k8scollector.collector.config.ContinuousSettings.Mode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContinuousSettingsTest {

    private static ContinuousSettings read(Map<String, String> entries) {
        return ContinuousSettings.from(ConfigSource.of(entries), false, false);
    }

    @Test
    void defaultsAreTheIssuesAndTheModeIsCronJob() {
        ContinuousSettings settings = read(Map.of());

        assertThat(settings).isEqualTo(new ContinuousSettings(Mode.CRONJOB, Duration.ofSeconds(1), Duration.ofSeconds(60),
                Optional.of(Duration.ofHours(6)), Duration.ofSeconds(20), Optional.of(9090), 64L << 20, Duration.ofSeconds(60)));
        assertThat(settings.continuous()).isFalse();
    }

    @Test
    void everyKeyIsReadCaseInsensitivelyAndZeroTurnsResyncAndMetricsOff() {
        ContinuousSettings settings = read(Map.of(
                "collector.mode", "Continuous", "collector.flushseconds", "3", "collector.heartbeatSeconds", "30",
                "collector.resyncMinutes", "0", "collector.shutdownSeconds", "5", "collector.metricsPort", "0",
                "collector.maxPendingMb", "8", "collector.fullFetchingMinSeconds", "120"));

        assertThat(settings).isEqualTo(new ContinuousSettings(Mode.CONTINUOUS, Duration.ofSeconds(3), Duration.ofSeconds(30),
                Optional.empty(), Duration.ofSeconds(5), Optional.empty(), 8L << 20, Duration.ofSeconds(120)));
    }

    @Test
    void theWatchFlagWinsOverTheConfiguredMode() {
        ContinuousSettings settings = ContinuousSettings.from(ConfigSource.of(Map.of("collector.mode", "cronjob")), true, false);

        assertThat(settings.mode()).isEqualTo(Mode.CONTINUOUS);
        assertThat(settings.mode().wireName()).isEqualTo("continuous");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "collector.mode|daemon|collector.mode: 'daemon' is not valid; allowed: cronjob, continuous.",
        "collector.flushSeconds|0|collector.flushSeconds: '0' is not valid; allowed: a whole number from 1 to 300.",
        "collector.heartbeatSeconds|often|collector.heartbeatSeconds: 'often' is not valid; allowed: a whole number from 1 to 3600.",
        "collector.resyncMinutes|-1|collector.resyncMinutes: '-1' is not valid; allowed: a whole number from 0 to 10080.",
        "collector.shutdownSeconds|601|collector.shutdownSeconds: '601' is not valid; allowed: a whole number from 1 to 600.",
        "collector.metricsPort|80|collector.metricsPort: '80' is not valid; allowed: 0 (off) or a whole number from 1024 to 65535.",
        "collector.metricsPort|65536|collector.metricsPort: '65536' is not valid; allowed: 0 (off) or a whole number from 1024 to 65535.",
        "collector.maxPendingMb|0|collector.maxPendingMb: '0' is not valid; allowed: a whole number from 1 to 4096.",
        "collector.fullFetchingMinSeconds|1.5|collector.fullFetchingMinSeconds: '1.5' is not valid; allowed: a whole number from 1 to 86400."
    })
    void aBadValueIsRefusedNamingTheKeyTheValueAndTheRange(String key, String value, String message) {
        assertThatThrownBy(() -> read(Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo(key);
    }

    @Test
    void continuousModeWithADryRunIsRefusedNamingWhatAskedForIt() {
        assertThatThrownBy(() -> ContinuousSettings.from(ConfigSource.of(Map.of()), true, true))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("-watch: continuous mode with -dry-run is not supported");
        assertThatThrownBy(() -> ContinuousSettings.from(ConfigSource.of(Map.of("collector.mode", "continuous")), false, true))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("collector.mode: continuous mode with -dry-run is not supported");
    }
}
