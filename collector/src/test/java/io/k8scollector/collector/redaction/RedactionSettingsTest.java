package io.k8scollector.collector.redaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k8scollector.collector.config.ConfigException;
import io.k8scollector.collector.config.ConfigSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactionSettingsTest {

    private static final String FILE_KEY = "a-key-from-the-chart-secret";
    private static final String ENV_KEY = "a-key-from-the-environment";

    @Test
    void defaultsToHashingWithTheDefaultPatternAndAKeyDerivedFromTheSecretKey() {
        RedactionSettings settings = RedactionSettings.from(
                ConfigSource.of(Map.of()), Map.of(), Optional.of("secret-key"), false);

        assertThat(settings.secrets()).isEqualTo(SecretsMode.HASH);
        assertThat(settings.randomKey()).isFalse();
        assertThat(settings.key()).isEqualTo(Hkdf.derive(
                "secret-key".getBytes(StandardCharsets.UTF_8),
                new byte[0],
                "k8s-collector redaction".getBytes(StandardCharsets.UTF_8),
                32));
        assertThat(settings.sensitivePattern().matcher("DB_PASSWORD").find()).isTrue();
        assertThat(settings.sensitivePattern().matcher("Api_Key").find()).isTrue();
        assertThat(settings.sensitivePattern().matcher("LOG_LEVEL").find()).isFalse();
        assertThat(settings.redactAnnotations()).isEmpty();
    }

    @Test
    void takesTheEnvironmentKeyOverTheFileKeyAndTheFileKeyOverTheSecretKey() {
        ConfigSource file = ConfigSource.of(Map.of("collector.redactionKey", FILE_KEY));

        RedactionSettings fromEnv = RedactionSettings.from(
                file, Map.of("REDACTION_KEY", ENV_KEY), Optional.of("secret-key"), false);
        RedactionSettings fromFile = RedactionSettings.from(file, Map.of(), Optional.of("secret-key"), false);

        assertThat(fromEnv.key()).isEqualTo(ENV_KEY.getBytes(StandardCharsets.UTF_8));
        assertThat(fromFile.key()).isEqualTo(FILE_KEY.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void usesARandomKeyPerRunOnlyForADryRunWithoutKeys() {
        RedactionSettings first = RedactionSettings.from(ConfigSource.of(Map.of()), Map.of(), Optional.empty(), true);
        RedactionSettings second = RedactionSettings.from(ConfigSource.of(Map.of()), Map.of(), Optional.empty(), true);

        assertThat(first.randomKey()).isTrue();
        assertThat(first.key()).hasSize(32).isNotEqualTo(second.key());
        assertThatThrownBy(() -> RedactionSettings.from(ConfigSource.of(Map.of()), Map.of(), Optional.empty(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("collector.redactionKey")
                .hasMessageContaining("REDACTION_KEY");
    }

    @Test
    void readsTheModeTheAnnotationsAndThePattern() {
        ConfigSource source = ConfigSource.of(Map.of(
                "collector.secrets", "DROP",
                "collector.redactAnnotations", "example.com/notes\n# a comment\nexample.com/owner-email\n",
                "collector.sensitivePattern", "hunter"));

        RedactionSettings settings = RedactionSettings.from(source, Map.of(), Optional.of("k"), false);

        assertThat(settings.secrets()).isEqualTo(SecretsMode.DROP);
        assertThat(settings.redactAnnotations()).containsExactly("example.com/notes", "example.com/owner-email");
        assertThat(settings.sensitivePattern().matcher("MY_HUNTER2").find()).isTrue();
        assertThat(settings.sensitivePattern().matcher("PASSWORD").find()).isFalse();
    }

    @Test
    void refusesAnUnknownModeNamingTheKeyTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> RedactionSettings.from(
                        ConfigSource.of(Map.of("collector.secrets", "encrypt")), Map.of(), Optional.of("k"), false))
                .isInstanceOf(ConfigException.class)
                .hasMessage("collector.secrets: 'encrypt' is not valid; allowed: hash, drop, keep.");
    }

    @Test
    void refusesABadPatternNamingTheKeyAndTheValue() {
        assertThatThrownBy(() -> RedactionSettings.from(
                        ConfigSource.of(Map.of("collector.sensitivePattern", "pass(word")),
                        Map.of(),
                        Optional.of("k"),
                        false))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("collector.sensitivePattern: 'pass(word' is not valid; allowed: a Java regular expression");
    }

    @Test
    void refusesAShortConfiguredKeyWithoutRepeatingIt() {
        assertThatThrownBy(() -> RedactionSettings.from(
                        ConfigSource.of(Map.of()), Map.of("REDACTION_KEY", "hunter2"), Optional.of("k"), false))
                .isInstanceOf(ConfigException.class)
                .hasMessage("REDACTION_KEY: a key of 7 characters is too short; allowed: at least 16 characters.")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void neverShowsTheKeyInItsText() {
        RedactionSettings settings = RedactionSettings.from(
                ConfigSource.of(Map.of()), Map.of("REDACTION_KEY", ENV_KEY), Optional.empty(), false);

        assertThat(settings.toString()).doesNotContain(ENV_KEY).contains("HASH");
    }

    @Test
    void readsTheValuesFieldsOnePerLine() {
        RedactionSettings settings = RedactionSettings.from(ConfigSource.of(Map.of("collector.valuesFields", """
                        # Flux, by its full group
                        helm.toolkit.fluxcd.io/HelmRelease spec.values
                        example.com/Deployer   spec.stages.chartValues
                        /ConfigMap data.values
                        """)), Map.of(), Optional.of("k"), false);

        assertThat(settings.valuesFields()).containsExactly(
                new ValuesField("helm.toolkit.fluxcd.io", "HelmRelease", List.of("spec", "values")),
                new ValuesField("example.com", "Deployer", List.of("spec", "stages", "chartValues")),
                new ValuesField("", "ConfigMap", List.of("data", "values")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HelmRelease spec.values", "helm.toolkit.fluxcd.io/HelmRelease", "example.com/Deployer spec..values",
            "example.com/Deployer spec.values extra", "Example.COM/Deployer spec.values", "example.com/Deployer .spec"})
    void refusesAValuesFieldLineOfAnotherFormNamingTheKeyAndTheLine(String line) {
        assertThatThrownBy(() -> RedactionSettings.from(
                        ConfigSource.of(Map.of("collector.valuesFields", "example.com/Good spec.values\n" + line)),
                        Map.of(), Optional.of("k"), false))
                .isInstanceOf(ConfigException.class)
                .hasMessage("collector.valuesFields: '" + line + "' is not valid; allowed: " + ValuesField.FORM + ".");
    }
}
