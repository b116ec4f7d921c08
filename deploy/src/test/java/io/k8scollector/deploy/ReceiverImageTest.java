package io.k8scollector.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The receiver's image tarball this build made (deploy/target/k8s-receiver-image.tar): validated by
 * skopeo, unpacked and run ({@link OciImage}) as the chart runs it, with its SQLite database in
 * the folder where the chart mounts its volume, and the key commands the chart's NOTES print run
 * in it beside the server, as {@code kubectl exec} would.
 */
@Timeout(300)
class ReceiverImageTest {

    private static final long MAX_UNCOMPRESSED_BYTES = 150L * 1024 * 1024;
    private static final JsonMapper JSON = new JsonMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path work;

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final String POSTGRES_VALUES = "database: {existingSecret: receiver-database}\n";

    static OciImage image;
    /** serve on SQLite, as the chart's defaults run it. */
    static Serve sqlite;

    /** A {@code serve} process in the image and the port it listens on. */
    record Serve(Process process, int port, Path log) {
    }

    @BeforeAll
    static void unpackAndServe() throws IOException, InterruptedException {
        image = OciImage.unpack(OciImage.archive("k8s.receiver.image.tar", "k8s-receiver-image.tar"), work);
        // What the PersistentVolumeClaim is in the pod: a folder the image's user may write (fsGroup).
        Path data = Files.createDirectories(image.rootfs().resolve("var/lib/k8s-receiver"));
        Files.setAttribute(data, "unix:uid", 65532);
        Files.setAttribute(data, "unix:gid", 65532);
        sqlite = serve("{}");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (sqlite != null) {
            stop(sqlite);
        }
    }

    @Test
    void skopeoReadsTheArchiveAsAnOciImageThatRunsTheReceiversJarAs65532() {
        List<String> argv = List.of("skopeo", "inspect", "--config",
                "oci-archive:" + OciImage.archive("k8s.receiver.image.tar", "k8s-receiver-image.tar"));
        JsonNode config = JSON.readTree(Command.run(argv, Map.of()).orFail(argv).stdout());

        assertThat(config.path("os").asString()).isEqualTo("linux");
        assertThat(config.path("architecture").asString()).isEqualTo("amd64");
        assertThat(config.path("config").path("User").asString()).isEqualTo(OciImage.USER);
        assertThat(Manifests.strings(config.path("config").path("Entrypoint"))).containsExactly(
                "/opt/java/bin/java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/k8s-receiver.jar");
        assertThat(config.path("config").path("Labels").path("org.opencontainers.image.title").asString())
                .isEqualTo("k8s-receiver");
        // the collector's JVM options and malloc arenas are for a one-shot job, not for a server
        assertThat(image.env()).containsEntry("JAVA_HOME", "/opt/java").containsKey("LD_LIBRARY_PATH")
                .doesNotContainKeys("JAVA_TOOL_OPTIONS", "MALLOC_ARENA_MAX");
    }

    @Test
    void theImageIsSmallHasNoShellAndOnlyTheReceiversJar() throws IOException {
        Set<String> app = new TreeSet<>();
        try (var files = Files.list(image.rootfs().resolve("app"))) {
            files.forEach(f -> app.add(f.getFileName().toString()));
        }

        assertThat(image.uncompressedBytes()).isLessThanOrEqualTo(MAX_UNCOMPRESSED_BYTES);
        assertThat(image.rootfs().resolve("bin/sh")).doesNotExist();
        assertThat(image.rootfs().resolve("proc")).doesNotExist();
        assertThat(app).containsExactly("k8s-receiver.jar");
    }

    @Test
    void serveHelpListsItsOptions() {
        Command.Result result = image.run("serve", "--help");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("--db", "--retain", "--metrics-token", "--tls-cert", "--tls-key");
    }

    @Test
    void serveOnSqliteInTheVolumeAnswersHealthzAndServesThePage() throws IOException, InterruptedException {
        HttpResponse<String> health = get(sqlite, "/healthz");
        HttpResponse<String> page = get(sqlite, "/");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(image.rootfs().resolve("var/lib/k8s-receiver/receiver.db")).isNotEmptyFile();
    }

    /**
     * The chart's readiness probe. /readyz came with the trust issue's receiver; on a receiver
     * without it (404) this is skipped, not failed.
     */
    @Test
    void serveOnSqliteIsReadyWhileItsDatabaseAnswers() throws IOException, InterruptedException {
        HttpResponse<String> ready = get(sqlite, "/readyz");
        assumeThat(ready.statusCode()).as("the receiver has /readyz").isNotEqualTo(404);

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ok");
    }

    @Test
    void theNotesListCommandReadsTheKeysOfTheRunningServersDatabase() {
        List<String> launcherAndDb = notesCommand("{}", "keys list");
        List<String> create = new ArrayList<>(launcherAndDb.subList(0, launcherAndDb.indexOf("keys")));
        create.addAll(List.of("keys", "create", "--db", "jdbc:sqlite:/var/lib/k8s-receiver/receiver.db", "--cluster", "image-test"));
        Command.Result created = image.exec(create);
        Command.Result listed = image.exec(launcherAndDb);

        assertThat(created.exitCode()).as(created.stderr()).isZero();
        String accessKey = JSON.readTree(created.stdout()).path("accessKey").asString();
        assertThat(listed.exitCode()).as(listed.stderr()).isZero();
        assertThat(listed.stdout()).contains(accessKey).doesNotContain(JSON.readTree(created.stdout()).path("secretKey").asString());
    }

    /**
     * The NOTES' {@code keys create --cluster ID --scope ingest}, as printed. Scopes came with the
     * trust issue's receiver; on a receiver without them this is skipped, not failed.
     */
    @Test
    void theNotesCreateCommandsMakeKeysInTheRunningServersDatabase() {
        assumeThat(image.run("keys", "create", "--help").stdout()).as("keys create takes --scope").contains("--scope");
        for (String command : List.of("keys create --db jdbc:sqlite:/var/lib/k8s-receiver/receiver.db --cluster",
                "keys create --db jdbc:sqlite:/var/lib/k8s-receiver/receiver.db --all-clusters")) {
            List<String> argv = notesCommand("{}", command);
            argv.replaceAll(arg -> arg.equals("CLUSTER_ID") ? "image-test" : arg);

            Command.Result result = image.exec(argv);

            assertThat(result.exitCode()).as(String.join(" ", argv) + ": " + result.stderr()).isZero();
            assertThat(JSON.readTree(result.stdout()).path("secretKey").asString()).isNotBlank();
        }
    }

    /**
     * With PostgreSQL the chart mounts the Secret's URL as a file and gives its path as {@code
     * --db @FILE}: serve and the NOTES' commands read it there, in an image without a shell.
     */
    @Test
    void serveAndTheNotesCommandsReadThePostgresqlUrlFromTheMountedSecret() throws Exception {
        String schema = "receiver_image_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        Path url = Files.createDirectories(image.rootfs().resolve("etc/k8s-receiver/database")).resolve("url");
        Files.writeString(url, POSTGRES + "&currentSchema=" + schema + "\n");
        Serve postgres = serve(POSTGRES_VALUES);
        try {
            List<String> list = notesCommand(POSTGRES_VALUES, "keys list");
            List<String> create = new ArrayList<>(list.subList(0, list.indexOf("keys")));
            create.addAll(List.of("keys", "create", "--db", "@/etc/k8s-receiver/database/url", "--cluster", "image-test"));
            Command.Result created = image.exec(create);
            Command.Result listed = image.exec(list);

            assertThat(get(postgres, "/healthz").body()).isEqualTo("ok");
            assertThat(created.exitCode()).as(created.stderr()).isZero();
            assertThat(listed.stdout()).contains(JSON.readTree(created.stdout()).path("accessKey").asString());
            try (Connection c = DriverManager.getConnection(POSTGRES + "&currentSchema=" + schema);
                    Statement s = c.createStatement();
                    ResultSet keys = s.executeQuery("SELECT count(*) FROM access_keys")) {
                assertThat(keys.next()).isTrue();
                assertThat(keys.getInt(1)).isEqualTo(1);
            }
        } finally {
            stop(postgres);
            try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /** Starts {@code serve} in the image with the arguments the chart gives it for {@code values}, on a free port. */
    private static Serve serve(String values) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> args = new ArrayList<>(Manifests.strings(helm().render(values).receiverContainer().path("args")));
        args.set(args.indexOf("--port") + 1, Integer.toString(port));
        Path log = Files.createTempFile(work, "serve-", ".log");
        Serve serve = new Serve(image.start(image.command(args.toArray(String[]::new)), log), port, log);
        awaitHealthy(serve);
        return serve;
    }

    private static void stop(Serve serve) throws InterruptedException {
        serve.process().destroy();
        serve.process().waitFor();
    }

    private static Helm helm() {
        try {
            return Helm.receiver(Files.createDirectories(work.resolve("helm")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command after {@code kubectl exec ... --} of the NOTES line for {@code values} that holds {@code part}. */
    private static List<String> notesCommand(String values, String part) {
        String line = helm().notes(values).lines()
                .filter(l -> l.contains(" -- ") && l.contains(part))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the NOTES print no command with " + part));
        return new ArrayList<>(Arrays.asList(line.substring(line.indexOf(" -- ") + 4).trim().split(" +")));
    }

    private static void awaitHealthy(Serve serve) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            if (!serve.process().isAlive()) {
                throw new AssertionError("serve exited " + serve.process().exitValue() + ": " + Files.readString(serve.log()));
            }
            try {
                if (get(serve, "/healthz").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("serve did not answer /healthz in 90 s: " + Files.readString(serve.log()));
    }

    private static HttpResponse<String> get(Serve serve, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
