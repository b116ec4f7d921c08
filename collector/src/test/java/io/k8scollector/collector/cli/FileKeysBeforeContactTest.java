package io.k8scollector.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every file a run is configured with (the endpoint's CA file, the kubeconfig, the user's
 * redaction key file) is read while the configuration is validated: a bad one exits 2 naming
 * its key, and the test cluster, which counts every request, has received none.
 */
@Timeout(60)
class FileKeysBeforeContactTest {

    private static TestCluster cluster;

    @TempDir
    Path dir;

    private Path kubeconfig;
    private Path configDir;
    private final Map<String, String> env = new HashMap<>();
    private Map<String, Long> before;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(ClusterSpec.builder().pods(2).seed(5).build());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void configure() throws Exception {
        kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
        configDir = Files.createDirectory(dir.resolve("config"));
        Files.writeString(configDir.resolve("endpoint"), "https://ingest.example.com");
        env.putAll(Map.of("HOME", dir.toString(), "XDG_CONFIG_HOME", dir.resolve("xdg").toString(),
                "INFRALIGHT_ACCESS_KEY", "access", "INFRALIGHT_SECRET_KEY", "secret"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"absent.pem", "not-pem.pem"})
    void aBadEndpointCaFileExitsTwoNamingTheKey(String name) throws Exception {
        Path caFile = dir.resolve(name);
        if (name.startsWith("not-")) {
            Files.writeString(caFile, "not a certificate");
        }
        Files.writeString(configDir.resolve("collector.endpointCaFile"), caFile.toString());

        assertRefusedBeforeContact(run("-external", kubeconfig.toString(), "-config", configDir.toString(), "prod"),
                "collector.endpointCaFile: '" + caFile + "'");
    }

    @Test
    void aKubeconfigVariableNamingNoFileExitsTwo() throws Exception {
        env.put("KUBECONFIG", dir.resolve("absent-kubeconfig").toString());

        assertRefusedBeforeContact(run("-config", configDir.toString(), "prod"), "KUBECONFIG: '" + dir.resolve("absent-kubeconfig") + "'");
    }

    @Test
    void anExternalKubeconfigThatIsADirectoryExitsTwo() throws Exception {
        assertRefusedBeforeContact(run("-external", dir.toString(), "-config", configDir.toString(), "prod"),
                "-external: '" + dir + "'");
    }

    @Test
    void aRedactionKeyFileOfTheWrongSizeExitsTwoNamingTheFile() throws Exception {
        Path keyFile = Files.createDirectories(dir.resolve("xdg/k8s-collector")).resolve("redaction.key");
        Files.writeString(keyFile, "short");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));

        assertRefusedBeforeContact(run("-external", kubeconfig.toString(), "-config", configDir.toString(), "prod"),
                "The redaction key file '" + keyFile + "' holds 5 bytes");
    }

    @Test
    void theSameSetUpWithGoodFilesDoesReachTheCluster() throws Exception {
        int code = run("-external", kubeconfig.toString(), "-config", configDir.toString(), "-dry-run", "prod");

        assertThat(code).as(errors()).isZero();
        assertThat(cluster.requests()).isNotEqualTo(before);
    }

    private void assertRefusedBeforeContact(int code, String message) {
        assertThat(code).isEqualTo(2);
        assertThat(errors()).contains(message);
        assertThat(stdout.size()).isZero();
        assertThat(cluster.requests()).isEqualTo(before);
    }

    private int run(String... args) {
        before = cluster.requests();
        return Main.run(args, env, stdout, new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    private String errors() {
        return stderr.toString(StandardCharsets.UTF_8);
    }
}
