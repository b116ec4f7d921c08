package io.k8scollector.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

class RedactionSettingsTest {

    private static final String FILE_KEY = "a-key-from-the-chart-secret";
    private static final String ENV_KEY = "a-key-from-the-environment";
    private static final ConfigSource NO_CONFIG = ConfigSource.of(Map.of());

    @TempDir
    Path home;

    private KubeAccess outside() {
        return new KubeAccess(home.resolve("kubeconfig"), null);
    }

    @Test
    void defaultsToHashingWithTheDefaultPattern() {
        RedactionSettings settings = RedactionSettings.from(
                NO_CONFIG, Map.of("REDACTION_KEY", ENV_KEY), KubeAccess.inCluster(), false);

        assertThat(settings.secrets()).isEqualTo(SecretsMode.HASH);
        assertThat(settings.randomKey()).isFalse();
        assertThat(settings.sensitivePattern().matcher("DB_PASSWORD").find()).isTrue();
        assertThat(settings.sensitivePattern().matcher("Api_Key").find()).isTrue();
        assertThat(settings.sensitivePattern().matcher("LOG_LEVEL").find()).isFalse();
        assertThat(settings.redactAnnotations()).isEmpty();
    }

    @Test
    void takesTheEnvironmentKeyOverTheConfiguredKeyAndBothOverTheKeyFile() {
        ConfigSource file = ConfigSource.of(Map.of("collector.redactionKey", FILE_KEY));
        Map<String, String> env = Map.of("HOME", home.toString());

        RedactionSettings fromEnv = RedactionSettings.from(file, Map.of("REDACTION_KEY", ENV_KEY, "HOME", home.toString()),
                outside(), false);
        RedactionSettings fromConfig = RedactionSettings.from(file, env, outside(), false);

        assertThat(fromEnv.key()).isEqualTo(ENV_KEY.getBytes(StandardCharsets.UTF_8));
        assertThat(fromConfig.key()).isEqualTo(FILE_KEY.getBytes(StandardCharsets.UTF_8));
        assertThat(home.resolve(".config")).doesNotExist();
    }

    @Test
    void neverDerivesTheKeyFromTheSecretKeyThatLoginSends() {
        Map<String, String> env = Map.of("INFRALIGHT_SECRET_KEY", "the-secret-key-sent-at-login");

        assertThatThrownBy(() -> RedactionSettings.from(NO_CONFIG, env, KubeAccess.inCluster(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("REDACTION_KEY")
                .hasMessageContaining("collector.redactionKey")
                .extracting(e -> ((ConfigException) e).key())
                .isEqualTo("collector.redactionKey");
    }

    @Test
    void makesTheUserKeyFileOnceOutsideAClusterAndKeepsItFromRunToRun() throws Exception {
        Map<String, String> env = Map.of("HOME", home.toString());
        ListAppender<ILoggingEvent> log = capture();

        RedactionSettings first = RedactionSettings.from(NO_CONFIG, env, outside(), false);
        RedactionSettings second = RedactionSettings.from(NO_CONFIG, env, outside(), true);

        Path file = home.resolve(".config/k8s-collector/redaction.key");
        assertThat(first.key()).hasSize(32).isEqualTo(second.key()).isEqualTo(Files.readAllBytes(file));
        assertThat(first.randomKey()).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(Files.list(file.getParent())).containsExactly(file);
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line).startsWith("Made a new redaction key in " + file))
                .anySatisfy(line -> assertThat(line).isEqualTo("Using the redaction key in " + file + "."))
                .allSatisfy(line -> assertThat(line).doesNotContain(HexFormat.of().formatHex(first.key())));
    }

    @Test
    void putsTheKeyFileUnderXdgConfigHomeWhenSet() {
        Path xdg = home.resolve("xdg");

        RedactionSettings.from(NO_CONFIG, Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", xdg.toString()), outside(), false);

        assertThat(xdg.resolve("k8s-collector/redaction.key")).isRegularFile().hasSize(32);
        assertThat(home.resolve(".config")).doesNotExist();
    }

    @Test
    void refusesAKeyFileThatOthersMayReadOrOfTheWrongSize() throws Exception {
        Map<String, String> env = Map.of("HOME", home.toString());
        Path file = home.resolve(".config/k8s-collector/redaction.key");
        RedactionSettings.from(NO_CONFIG, env, outside(), false);

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> RedactionSettings.from(NO_CONFIG, env, outside(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("chmod 600");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.write(file, new byte[7]);
        assertThatThrownBy(() -> RedactionSettings.from(NO_CONFIG, env, outside(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("holds 7 bytes");
    }

    @Test
    void usesARandomKeyPerRunOnlyForADryRunInAClusterWithoutAKey() {
        RedactionSettings first = RedactionSettings.from(NO_CONFIG, Map.of(), KubeAccess.inCluster(), true);
        RedactionSettings second = RedactionSettings.from(NO_CONFIG, Map.of(), KubeAccess.inCluster(), true);

        assertThat(first.randomKey()).isTrue();
        assertThat(first.key()).hasSize(32).isNotEqualTo(second.key());
        assertThatThrownBy(() -> RedactionSettings.from(NO_CONFIG, Map.of(), KubeAccess.inCluster(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("collector.redactionKey")
                .hasMessageContaining("REDACTION_KEY");
    }

    @Test
    void namesTheKeyByTheFirstEightHexCharactersOfItsSha256() throws Exception {
        RedactionSettings settings = RedactionSettings.from(
                NO_CONFIG, Map.of("REDACTION_KEY", ENV_KEY), KubeAccess.inCluster(), false);

        String sha256 = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(ENV_KEY.getBytes(StandardCharsets.UTF_8)));
        assertThat(settings.keyId()).hasSize(8).isEqualTo(sha256.substring(0, 8));
    }

    @Test
    void readsTheModeTheAnnotationsAndThePattern() {
        ConfigSource source = ConfigSource.of(Map.of(
                "collector.secrets", "DROP",
                "collector.redactAnnotations", "example.com/notes\n# a comment\nexample.com/owner-email\n",
                "collector.sensitivePattern", "hunter",
                "collector.redactionKey", FILE_KEY));

        RedactionSettings settings = RedactionSettings.from(source, Map.of(), KubeAccess.inCluster(), false);

        assertThat(settings.secrets()).isEqualTo(SecretsMode.DROP);
        assertThat(settings.redactAnnotations()).containsExactly("example.com/notes", "example.com/owner-email");
        assertThat(settings.sensitivePattern().matcher("MY_HUNTER2").find()).isTrue();
        assertThat(settings.sensitivePattern().matcher("PASSWORD").find()).isFalse();
    }

    @Test
    void refusesAnUnknownModeNamingTheKeyTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> RedactionSettings.from(
                        ConfigSource.of(Map.of("collector.secrets", "encrypt")), Map.of(), KubeAccess.inCluster(), true))
                .isInstanceOf(ConfigException.class)
                .hasMessage("collector.secrets: 'encrypt' is not valid; allowed: hash, drop, keep.");
    }

    @Test
    void refusesABadPatternNamingTheKeyAndTheValue() {
        assertThatThrownBy(() -> RedactionSettings.from(
                        ConfigSource.of(Map.of("collector.sensitivePattern", "pass(word")),
                        Map.of(),
                        KubeAccess.inCluster(),
                        true))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("collector.sensitivePattern: 'pass(word' is not valid; allowed: a Java regular expression");
    }

    @Test
    void refusesAShortConfiguredKeyWithoutRepeatingIt() {
        assertThatThrownBy(() -> RedactionSettings.from(
                        NO_CONFIG, Map.of("REDACTION_KEY", "hunter2"), KubeAccess.inCluster(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessage("REDACTION_KEY: a key of 7 characters is too short; allowed: at least 16 characters.")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void neverShowsTheKeyInItsText() {
        RedactionSettings settings = RedactionSettings.from(
                NO_CONFIG, Map.of("REDACTION_KEY", ENV_KEY), KubeAccess.inCluster(), false);

        assertThat(settings.toString()).doesNotContain(ENV_KEY).contains("HASH");
    }

    @Test
    void readsTheValuesFieldsOnePerLine() {
        RedactionSettings settings = RedactionSettings.from(ConfigSource.of(Map.of("collector.valuesFields", """
                        # Flux, by its full group
                        helm.toolkit.fluxcd.io/HelmRelease spec.values
                        example.com/Deployer   spec.stages.chartValues
                        /ConfigMap data.values
                        """)), Map.of(), KubeAccess.inCluster(), true);

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
                        Map.of(), KubeAccess.inCluster(), true))
                .isInstanceOf(ConfigException.class)
                .hasMessage("collector.valuesFields: '" + line + "' is not valid; allowed: " + ValuesField.FORM + ".");
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(UserKeyFile.class)).addAppender(appender);
        return appender;
    }
}
