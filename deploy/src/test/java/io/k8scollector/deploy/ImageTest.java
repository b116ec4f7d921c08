package io.k8scollector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The collector's image tarball this build made (deploy/target/k8s-collector-image.tar), checked as
 * a container runtime would use it: validated by skopeo, unpacked and run ({@link OciImage}).
 */
class ImageTest {

    private static final long MAX_UNCOMPRESSED_BYTES = 120L * 1024 * 1024;

    @TempDir
    static Path work;

    static OciImage image;

    @BeforeAll
    static void unpack() {
        image = OciImage.unpack(archive(), work);
    }

    @Test
    void skopeoReadsTheArchiveAsAnOciImageForLinuxAmd64() {
        List<String> argv = List.of("skopeo", "inspect", "--config", "oci-archive:" + archive());
        JsonNode config = new JsonMapper().readTree(Command.run(argv, Map.of()).orFail(argv).stdout());

        assertThat(config.path("os").asString()).isEqualTo("linux");
        assertThat(config.path("architecture").asString()).isEqualTo("amd64");
        assertThat(config.path("config").path("User").asString()).isEqualTo("65532:65532");
        assertThat(Manifests.strings(config.path("config").path("Entrypoint")))
                .containsExactly("/opt/java/bin/java", "-XX:+ExitOnOutOfMemoryError", "-cp", "/app/libs/*",
                        "io.k8scollector.collector.cli.Main");
        assertThat(image.env()).containsEntry("JAVA_HOME", "/opt/java").containsKey("LD_LIBRARY_PATH");
    }

    /** The image's JVM gets what bin/k8s-collector gives it, and so does the Dockerfile's image. */
    @Test
    void theImageHasTheLaunchersMemorySettingsAsTheDockerfileDoes() throws IOException {
        String[] options = ProjectFiles.launcherJvmOptions().toArray(String[]::new);
        String arenas = ProjectFiles.launcherMallocArenaMax();

        assertThat(image.env().get("JAVA_TOOL_OPTIONS")).isNotNull();
        assertThat(image.env().get("JAVA_TOOL_OPTIONS").split(" ")).containsExactly(options);
        assertThat(image.env()).containsEntry("MALLOC_ARENA_MAX", arenas);
        String dockerfile = Files.readString(ProjectFiles.root().resolve("Dockerfile"));
        assertThat(dockerfile).contains("JAVA_TOOL_OPTIONS=\"" + String.join(" ", options) + "\"")
                .contains("MALLOC_ARENA_MAX=" + arenas);
    }

    @Test
    void theImageIsSmallAndHasNoShell() {
        assertThat(image.uncompressedBytes()).isLessThanOrEqualTo(MAX_UNCOMPRESSED_BYTES);
        assertThat(image.rootfs().resolve("bin/sh")).doesNotExist();
        assertThat(image.rootfs().resolve("proc")).doesNotExist();
        assertThat(image.rootfs().resolve("opt/java/bin/java")).isExecutable();
    }

    @Test
    void theEntrypointPrintsItsVersionAsUser65532() {
        Command.Result result = runInImage("--version");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().trim()).isEqualTo("k8s-collector 1.0.0");
    }

    @Test
    void theRuntimeHasTheJdksHttpServerThatContinuousModesMetricsServerRunsOn() {
        Command.Result modules = image.exec(List.of("/opt/java/bin/java", "--list-modules"));

        assertThat(modules.exitCode()).as(modules.stderr()).isZero();
        assertThat(modules.stdout().lines().map(line -> line.replaceAll("@.*", ""))).contains("jdk.httpserver");
        assertThat(image.rootfs().resolve("app/libs/prometheus-metrics-exporter-httpserver-1.10.0.jar")).isRegularFile();
        assertThat(image.rootfs().resolve("app/libs/prometheus-metrics-exposition-formats-1.10.0.jar")).doesNotExist();
    }

    @Test
    void onlyTheFabric8JarsTheCollectorNeedsAreShipped() throws IOException {
        Set<String> fabric8 = new TreeSet<>();
        try (var jars = Files.list(image.rootfs().resolve("app/libs"))) {
            jars.map(jar -> jar.getFileName().toString())
                    .filter(name -> name.startsWith("kubernetes-") || name.startsWith("zjsonpatch"))
                    .forEach(fabric8::add);
        }

        assertThat(fabric8).allSatisfy(name -> assertThat(name).matches(
                "(kubernetes-(client-api|client|httpclient-jdk|model-(core|common|apps|batch|certificates|extensions))"
                        + "|zjsonpatch)-[0-9.]+\\.jar"));
        assertThat(fabric8).anyMatch(name -> name.startsWith("kubernetes-httpclient-jdk"))
                .noneMatch(name -> name.contains("vertx") || name.contains("okhttp"));
    }

    @Test
    void theImageCollectsARealClusterInDryRun() throws IOException {
        try (TestCluster cluster = TestCluster.start(ClusterSpec.builder().pods(20).seed(7).build())) {
            cluster.writeKubeconfig(image.rootfs().resolve("tmp/kubeconfig"));
            Files.createDirectories(image.rootfs().resolve("tmp/config"));

            Command.Result result = runInImage("-external", "/tmp/kubeconfig", "-config", "/tmp/config", "-dry-run", "image-test");

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            JsonNode document = new JsonMapper().readTree(result.stdout());
            Set<String> kinds = new TreeSet<>();
            document.path("objects").forEach(o -> kinds.add(o.path("kind").asString()));
            assertThat(kinds).contains("Pod", "Namespace", "Deployment");
            assertThat(document.path("types").size()).isPositive();
        }
    }

    private static Command.Result runInImage(String... args) {
        return image.run(args);
    }

    private static Path archive() {
        return OciImage.archive("k8s.collector.image.tar", "k8s-collector-image.tar");
    }
}
