package io.k8scollector.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.k8scollector.collector.Version;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** Exit codes of the command line; bad input must be refused before anything is contacted. */
class MainExitCodesTest {

    @TempDir
    Path dir;

    private ServerSocket apiServer;
    private Path kubeconfig;
    private Path configDir;
    private final Map<String, String> env = new HashMap<>();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @BeforeEach
    void cluster() throws Exception {
        apiServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        kubeconfig = kubeconfig(dir, apiServer.getLocalPort());
        configDir = Files.createDirectory(dir.resolve("config"));
        env.put("HOME", dir.toString());
    }

    @AfterEach
    void close() throws Exception {
        apiServer.close();
    }

    static Path kubeconfig(Path dir, int port) throws Exception {
        return kubeconfig(dir, "https", port);
    }

    static Path kubeconfig(Path dir, String scheme, int port) throws Exception {
        return Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: %s://127.0.0.1:%d
                    insecure-skip-tls-verify: true
                users:
                - name: test
                  user:
                    token: not-a-real-token
                contexts:
                - name: test
                  context:
                    cluster: test
                    user: test
                current-context: test
                """.formatted(scheme, port));
    }

    private int run(String... args) {
        return Main.run(args, env, stdout, new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    private String errors() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    private boolean apiServerWasContacted() throws Exception {
        apiServer.setSoTimeout(50);
        try (var connection = apiServer.accept()) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-external={kubeconfig} -config={config} -dry-run Bad_Cluster|'Bad_Cluster' is not valid",
        "-external={kubeconfig} -config={config} prod|endpoint is not set",
        "-external={dir}/absent -config={config} -dry-run prod|-external: '{dir}/absent' is not valid",
        "--kubeconfig {kubeconfig} -config {config} --dry-run prod --context elsewhere|--context: 'elsewhere' is not valid",
        "-external {kubeconfig} -config={config} -debug=maybe -dry-run prod|maybe",
        "-external {kubeconfig} -config={config} -dry-run -unknown prod|-unknown",
        "-external {kubeconfig} -config={config} -dry-run prod extra|extra"
    })
    void badInputExitsTwoNamingTheProblemAndContactsNothing(String args, String expected) throws Exception {
        int code = run(expand(args).split(" "));

        assertThat(code).isEqualTo(2);
        assertThat(errors()).contains(expand(expected));
        assertThat(stdout.size()).isZero();
        assertThat(apiServerWasContacted()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "collector.listPageSize|lots|collector.listPageSize: 'lots' is not valid; allowed: a whole number from 1 to 10000.",
        "collector.overrideUniqueClusterId|yes|collector.overrideUniqueClusterId: 'yes' is not valid; allowed: true or false.",
        "collector.resources.pods|maybe|collector.resources.pods: 'maybe' is not valid; allowed: true or false.",
        "collector.PageSize|big|collector.PageSize: 'big' is not valid; allowed: a whole number from 1 to 10240.",
        "collector.MaxGoRoutines|-3|collector.MaxGoRoutines: '-3' is not valid; allowed: a whole number from 1 to 2147483647.",
        "collector.gzipLevel|11|collector.gzipLevel: '11' is not valid; allowed: a whole number from 0 to 9.",
        "collector.secrets|burn|collector.secrets: 'burn' is not valid; allowed: hash, drop, keep.",
        "collector.valuesFields|HelmRelease spec.values|collector.valuesFields: 'HelmRelease spec.values' is not valid; "
                + "allowed: one 'group/Kind path' per line, the path in dots (helm.toolkit.fluxcd.io/HelmRelease spec.values)."
    })
    void malformedKeysExitTwoAndContactNothing(String key, String value, String message) throws Exception {
        Files.writeString(configDir.resolve(key), value);

        int code = run("-external", kubeconfig.toString(), "-config", configDir.toString(), "-dry-run", "prod");

        assertThat(code).isEqualTo(2);
        assertThat(errors()).contains(message);
        assertThat(apiServerWasContacted()).isFalse();
    }

    @Test
    void missingKeysWithoutDryRunExitTwoAndContactNothing() throws Exception {
        Files.writeString(configDir.resolve("endpoint"), "http://127.0.0.1:1");

        assertThat(run("-external", kubeconfig.toString(), "-config", configDir.toString(), "prod")).isEqualTo(2);
        assertThat(errors()).contains("INFRALIGHT_ACCESS_KEY is not set");
        assertThat(apiServerWasContacted()).isFalse();
    }

    @Test
    void aRunInAClusterWithoutARedactionKeyExitsTwoNamingBothPlacesAndContactsNothing() throws Exception {
        Files.writeString(configDir.resolve("endpoint"), "https://ingest.example.com");
        env.putAll(Map.of("INFRALIGHT_ACCESS_KEY", "a", "INFRALIGHT_SECRET_KEY", "s",
                "KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT", String.valueOf(apiServer.getLocalPort())));

        assertThat(run("-config", configDir.toString(), "prod")).isEqualTo(2);
        assertThat(errors()).contains("REDACTION_KEY").contains("collector.redactionKey");
        assertThat(dir.resolve(".config")).doesNotExist();
        assertThat(apiServerWasContacted()).isFalse();
    }

    @Test
    void aPlainHttpEndpointOffLoopbackExitsTwoNamingTheOverrideAndContactsNothing() throws Exception {
        Files.writeString(configDir.resolve("endpoint"), "http://ingest.example.com");
        env.putAll(Map.of("INFRALIGHT_ACCESS_KEY", "a", "INFRALIGHT_SECRET_KEY", "s"));

        assertThat(run("-external", kubeconfig.toString(), "-config", configDir.toString(), "prod")).isEqualTo(2);
        assertThat(errors()).contains("endpoint: 'http://ingest.example.com'").contains("collector.allowInsecureEndpoint=true");
        assertThat(apiServerWasContacted()).isFalse();
    }

    @Test
    void anEndpointWithAPasswordExitsTwoWithoutShowingOrLoggingThePassword() throws Exception {
        Files.writeString(configDir.resolve("endpoint"), "https://collector:Pa55-w0rd@ingest.example.com");
        env.putAll(Map.of("INFRALIGHT_ACCESS_KEY", "a", "INFRALIGHT_SECRET_KEY", "s"));
        Logger logger = (Logger) LoggerFactory.getLogger("io.k8scollector");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(log);
        try {
            assertThat(run("-external", kubeconfig.toString(), "-config", configDir.toString(), "prod")).isEqualTo(2);
        } finally {
            logger.detachAppender(log);
            logger.setLevel(level);
        }

        assertThat(errors()).contains("endpoint: 'https://collector:***@ingest.example.com'").doesNotContain("Pa55-w0rd");
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(line -> line.contains("Pa55-w0rd"));
        assertThat(apiServerWasContacted()).isFalse();
    }

    @Test
    void anUnexpectedFailureIsLoggedWithItsStackTraceAndNamedEvenWithoutAMessage() {
        Logger logger = (Logger) LoggerFactory.getLogger("io.k8scollector");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        NullPointerException bug = new NullPointerException();
        int code;
        try {
            code = Main.unexpected(bug, new PrintStream(stderr, true, StandardCharsets.UTF_8));
        } finally {
            logger.detachAppender(log);
        }

        assertThat(code).isEqualTo(1);
        assertThat(errors()).contains("java.lang.NullPointerException").doesNotContain(": null");
        assertThat(log.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getThrowableProxy()).isNotNull();
            assertThat(event.getThrowableProxy().getClassName()).isEqualTo(NullPointerException.class.getName());
        });
        assertThat(Main.describe(new IllegalStateException("the sink is already open")))
                .isEqualTo("IllegalStateException: the sink is already open");
    }

    @Test
    void anUnreachableApiServerFailsTheRunWithOne() throws Exception {
        int port = apiServer.getLocalPort();
        apiServer.close();
        kubeconfig(dir, port);

        assertThat(run("-external=" + kubeconfig, "-config=" + configDir, "-dry-run", "prod")).isEqualTo(1);
        assertThat(errors()).contains("the run failed").contains("kube-system");
        assertThat(stdout.size()).isZero();
    }

    @Test
    @Timeout(60)
    void introducesItselfToTheApiServerAndFailsWithOneWhenKubeSystemIsMissing() throws Exception {
        kubeconfig(dir, "http", apiServer.getLocalPort());
        var request = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (var connection = apiServer.accept()) {
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII));
                StringBuilder head = new StringBuilder();
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    head.append(line).append('\n');
                }
                connection.getOutputStream().write(
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return head.toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        assertThat(run("-external", kubeconfig.toString(), "-config", configDir.toString(), "-dry-run", "prod")).isEqualTo(1);
        assertThat(request.get()).startsWith("GET /api/v1/namespaces/kube-system").containsIgnoringCase("User-Agent: k8s-collector/1.0.0");
        assertThat(errors()).contains("kube-system").contains("not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-version", "-V"})
    void versionAnswersZero(String version) {
        assertThat(run(version)).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).startsWith("k8s-collector 1.0.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-help", "-h"})
    void helpListsTheOriginalsFlagsAndTheSubcommandsAndContactsNothing(String help) throws Exception {
        assertThat(run(help)).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8))
                .contains("-external", "-kubeconfig", "-config", "-debug", "-dry-run", "-context", "CLUSTER_ID")
                .contains("bin/k8s-collector demo", "k8s-collector check");
        assertThat(apiServerWasContacted()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-version"})
    void checkVersionIsTheCollectorsVersion(String version) {
        assertThat(run("check", version)).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("k8s-collector " + Version.current() + System.lineSeparator());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-help"})
    void demoHelpAnswersZeroAndSaysWhereTheDemoLives(String help) throws Exception {
        assertThat(run("demo", help)).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("not in this jar", "--help");
        assertThat(apiServerWasContacted()).isFalse();
    }

    @Test
    void demoExplainsWhereTheDemoLives() throws Exception {
        assertThat(run("demo")).isEqualTo(2);
        assertThat(errors()).contains("bin/k8s-collector demo");
        assertThat(apiServerWasContacted()).isFalse();
    }

    @Test
    void demoAfterTheFlagsIsAClusterId() throws Exception {
        assertThat(run("-external", dir.resolve("absent").toString(), "-config", configDir.toString(), "-dry-run", "demo"))
                .isEqualTo(2);
        assertThat(errors()).contains("-external").doesNotContain("bin/k8s-collector demo");
    }

    private String expand(String text) {
        return text.replace("{kubeconfig}", kubeconfig.toString()).replace("{config}", configDir.toString()).replace("{dir}", dir.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-watch -dry-run|-watch: continuous mode with -dry-run is not supported",
        "--watch=true --dry-run|-watch: continuous mode with -dry-run is not supported"
    })
    void continuousModeWithDryRunExitsTwoNamingTheFlag(String flags, String message) throws Exception {
        withEndpointAndKeys();

        int code = run(("-external " + kubeconfig + " -config " + configDir + " " + flags + " prod").split(" "));

        assertThat(code).isEqualTo(2);
        assertThat(errors()).contains(message);
        assertThat(stdout.size()).isZero();
        assertThat(apiServerWasContacted()).isFalse();
    }

    @Test
    void aBadContinuousKeyExitsTwoEvenInCronJobMode() throws Exception {
        Files.writeString(configDir.resolve("collector.flushSeconds"), "0");

        assertThat(run("-external", kubeconfig.toString(), "-config", configDir.toString(), "-dry-run", "prod")).isEqualTo(2);
        assertThat(errors()).contains("collector.flushSeconds: '0' is not valid; allowed: a whole number from 1 to 300.");
        assertThat(apiServerWasContacted()).isFalse();
    }

    private void withEndpointAndKeys() throws Exception {
        Files.writeString(configDir.resolve("endpoint"), "http://127.0.0.1:9/api");
        env.put("INFRALIGHT_ACCESS_KEY", "access");
        env.put("INFRALIGHT_SECRET_KEY", "secret");
    }
}
