package io.k8scollector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChartSchemaTest {

    private static final String KEYS = """
            accessKey: the-access-key
            secretKey: the-secret-key
            apiEndpoint: https://ingest.example.test/api
            """;

    @TempDir
    Path home;

    /** Each row: what is wrong, the values (lines separated by "; "), the field the error names. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            empty clusterId            | clusterId: ''                              | clusterId
            clusterId with a space     | clusterId: 'prod one'                      | clusterId
            clusterId in upper case    | clusterId: Prod                            | clusterId
            clusterId over 63 chars    | clusterId: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | clusterId
            clusterId a number         | clusterId: 42                              | clusterId
            schedule a number          | clusterId: prod; schedule: 15              | schedule
            empty schedule             | clusterId: prod; schedule: ''              | schedule
            fetchEverything a string   | clusterId: prod; fetchEverything: 'yes'    | fetchEverything
            addTypes a string          | clusterId: prod; addTypes: secrets         | addTypes
            addTypes with a space      | clusterId: prod; addTypes: ['my pods']     | addTypes
            removeTypes a number       | clusterId: prod; removeTypes: [3]          | removeTypes
            unknown secrets mode       | clusterId: prod; secrets: plain            | secrets
            gzip level past 9          | clusterId: prod; tuning: {gzipLevel: 10}   | gzipLevel
            concurrencyPolicy unknown  | clusterId: prod; concurrencyPolicy: Sometimes | concurrencyPolicy
            """)
    void refusesABadValue(String what, String values, String field) {
        Command.Result result = new Helm(home).template(KEYS + values.replace("; ", "\n") + "\n");

        assertThat(result.succeeded()).as(what).isFalse();
        assertThat(result.stderr()).contains("values don't meet the specifications of the schema").contains(field);
    }

    @Test
    void refusesMissingKeysWithoutAnExistingSecret() {
        Command.Result result = new Helm(home).template("""
                clusterId: prod
                apiEndpoint: https://ingest.example.test/api
                accessKey: the-access-key
                """);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.stderr()).contains("secretKey");
    }

    @Test
    void refusesAMissingOrNonHttpEndpoint() {
        Helm helm = new Helm(home);

        assertThat(helm.template("clusterId: prod\naccessKey: a\nsecretKey: s\n").stderr()).contains("apiEndpoint");
        assertThat(helm.template("clusterId: prod\naccessKey: a\nsecretKey: s\napiEndpoint: ftp://host\n").stderr())
                .contains("apiEndpoint");
    }

    @Test
    void anExistingSecretNeedsNoKeys() {
        Command.Result result = new Helm(home).template("""
                clusterId: prod
                apiEndpoint: https://ingest.example.test/api
                existingSecret: collector-keys
                """);

        assertThat(result.succeeded()).as(result.stderr()).isTrue();
    }
}
