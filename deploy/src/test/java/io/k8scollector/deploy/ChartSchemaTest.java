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
            allowInsecureEndpoint a string | clusterId: prod; allowInsecureEndpoint: 'yes' | allowInsecureEndpoint
            policy without any CIDR    | clusterId: prod; networkPolicy: {enabled: true} | apiServerCidrs
            policy without endpoints   | clusterId: prod; networkPolicy: {enabled: true, apiServerCidrs: [10.0.0.1/32]} | endpointCidrs
            policy with empty lists    | clusterId: prod; networkPolicy: {enabled: true, apiServerCidrs: [], endpointCidrs: []} | minItems
            CIDR without a prefix      | clusterId: prod; networkPolicy: {apiServerCidrs: [10.0.0.1]} | apiServerCidrs
            CIDR prefix past 32        | clusterId: prod; networkPolicy: {apiServerCidrs: [10.0.0.0/33]} | apiServerCidrs
            CIDR octet past 255        | clusterId: prod; networkPolicy: {endpointCidrs: [203.0.113.256/32]} | endpointCidrs
            CIDR a host name           | clusterId: prod; networkPolicy: {endpointCidrs: [ingest.example.test/32]} | endpointCidrs
            IPv6 prefix past 128       | clusterId: prod; networkPolicy: {endpointCidrs: ['2001:db8::/129']} | endpointCidrs
            CIDR a number              | clusterId: prod; networkPolicy: {endpointCidrs: [10]} | endpointCidrs
            port zero                  | clusterId: prod; networkPolicy: {endpointPorts: [0]} | endpointPorts
            port past 65535            | clusterId: prod; networkPolicy: {apiServerPorts: [70000]} | apiServerPorts
            no API server port         | clusterId: prod; networkPolicy: {apiServerPorts: []} | apiServerPorts
            policy enabled a string    | clusterId: prod; networkPolicy: {enabled: 'true'} | enabled
            misspelt policy value      | clusterId: prod; networkPolicy: {apiServerCIDRs: [10.0.0.1/32]} | apiServerCIDRs
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

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.1/32     | 0.0.0.0/0
            172.16.0.0/12   | 2001:db8::/32
            fd00:10::1/128  | ::/0
            2001:db8:0:0:0:0:0:1/128 | 192.168.100.0/24
            """)
    void acceptsIpv4AndIpv6Cidrs(String apiServer, String endpoint) {
        Command.Result result = new Helm(home).template(KEYS + "clusterId: prod\nnetworkPolicy: {enabled: true, "
                + "apiServerCidrs: ['" + apiServer + "'], endpointCidrs: ['" + endpoint + "']}\n");

        assertThat(result.succeeded()).as(result.stderr()).isTrue();
        assertThat(Manifests.parse(result.stdout()).one("NetworkPolicy").toString()).contains(apiServer, endpoint);
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
