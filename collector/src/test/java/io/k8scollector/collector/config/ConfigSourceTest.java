package io.k8scollector.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {

    @Test
    void looksUpKeysWhateverTheirCase() {
        ConfigSource source = ConfigSource.of(Map.of("collector.overrideUniqueClusterId", "true"));

        assertThat(source.bool("collector.OverrideUniqueClusterId", false)).isTrue();
    }

    @Test
    void readsADirectoryAsAConfigMapMountsIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("endpoint"), "https://ingest.example.com\n");
        Files.writeString(dir.resolve("collector.ignoreNamespaces"), "kube-public\n\n# old\nscratch\n");
        Files.createDirectory(dir.resolve("..2026_11_27"));
        Files.writeString(dir.resolve("..data"), "ignored");

        ConfigSource source = ConfigSource.fromDirectory(dir);

        assertThat(source.string("endpoint")).contains("https://ingest.example.com");
        assertThat(source.lines("collector.ignoreNamespaces")).containsExactly("kube-public", "scratch");
        assertThat(source.string("..data")).isEmpty();
    }

    @Test
    void aMissingDirectoryIsEmpty(@TempDir Path dir) {
        assertThat(ConfigSource.fromDirectory(dir.resolve("absent")).string("endpoint")).isEmpty();
    }

    @Test
    void refusesAMalformedNumberNamingKeyValueAndRange() {
        ConfigSource source = ConfigSource.of(Map.of("collector.PageSize", "lots"));

        assertThatThrownBy(() -> source.integer("collector.PageSize", 500, 1, 10240))
                .isInstanceOf(ConfigException.class)
                .hasMessage("collector.PageSize: 'lots' is not valid; allowed: a whole number from 1 to 10240.");
    }

    @Test
    void refusesANumberOutOfRange() {
        ConfigSource source = ConfigSource.of(Map.of("collector.listPageSize", "0"));

        assertThatThrownBy(() -> source.integer("collector.listPageSize", 500, 1, 5000))
                .hasMessageContaining("'0'")
                .hasMessageContaining("from 1 to 5000");
    }

    @Test
    void refusesAMalformedBoolean() {
        ConfigSource source = ConfigSource.of(Map.of("collector.overrideUniqueClusterId", "yes"));

        assertThatThrownBy(() -> source.bool("collector.overrideUniqueClusterId", false))
                .hasMessage("collector.overrideUniqueClusterId: 'yes' is not valid; allowed: true or false.");
    }

    @Test
    void choiceAnswersInLowerCaseAndRefusesOthers() {
        ConfigSource source = ConfigSource.of(Map.of("collector.secrets", "HASH", "other", "burn"));

        assertThat(source.choice("collector.secrets", "hash", List.of("hash", "drop", "keep"))).isEqualTo("hash");
        assertThatThrownBy(() -> source.choice("other", "hash", List.of("hash", "drop", "keep")))
                .hasMessageContaining("allowed: hash, drop, keep");
    }

    @Test
    void keysAreFoldedAndPrefixesListTheOlderToggles() {
        ConfigSource source = ConfigSource.of(Map.of("collector.resources.Pods", "false", "ENDPOINT", "b"));

        assertThat(source.string("endpoint")).contains("b");
        assertThat(source.withPrefix("collector.resources.")).containsEntry("pods", "false");
    }
}
