package io.k8scollector.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.Version;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The demo as a person runs it: in a JVM of its own (the one JVM of test cluster, receiver and
 * collector, whose stdout and stderr are what the person sees), on a small test cluster.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DemoTest {

    private static final Pattern LOG_FILE = Pattern.compile("go to (\\S+\\.log);");
    private static final Pattern WORK_FOLDER = Pattern.compile("SQLite in (\\S+)\\)");
    /** A logback line of the demo's pattern: time, level, logger. */
    private static final Pattern LOG_LINE = Pattern.compile("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO|WARN|ERROR) ");

    @TempDir
    Path dir;

    @Test
    void printsTheSummaryAndNextStepsAndSendsTheLogLinesToTheFileItNames() throws Exception {
        Finished demo = runToEnd("--pods", "40");

        assertThat(demo.code()).as(demo.stdout()).isZero();
        assertThat(demo.stdout())
                .contains("objects of", "Types listed:", "The snapshot is committed.")
                .contains("To browse the inventory, run", "bin/k8s-collector demo --keep-running")
                .contains("bin/k8s-collector check -dry-run", "bin/k8s-collector -external ~/.kube/config -dry-run")
                .doesNotContain("http://", "Inventory page", "secret key");
        assertThat(demo.stdout().lines()).noneMatch(line -> line.startsWith("{"));
        assertThat(LOG_LINE.matcher(demo.stdout()).find()).as(demo.stdout()).isFalse();
        assertThat(demo.stderr()).isEmpty();
        assertThat(named(WORK_FOLDER, demo.stdout())).doesNotExist();

        Path log = named(LOG_FILE, demo.stdout());
        try {
            String lines = Files.readString(log);
            assertThat(LOG_LINE.matcher(lines).find()).as(lines).isTrue();
            // the receiver's and the collector's lines (the test cluster logs only trouble), with the run id
            assertThat(lines).contains("ReceiverServer", "CollectionRun", "runId=");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void verboseSendsTheLogLinesToStderrAndNamesNoFile() throws Exception {
        Finished demo = runToEnd("--pods", "40", "--verbose");

        assertThat(demo.code()).as(demo.stderr()).isZero();
        assertThat(demo.stdout()).contains("The snapshot is committed.").doesNotContain(".log");
        assertThat(LOG_LINE.matcher(demo.stdout()).find()).as(demo.stdout()).isFalse();
        assertThat(LOG_LINE.matcher(demo.stderr()).find()).as(demo.stderr()).isTrue();
        assertThat(demo.stderr()).contains("ReceiverServer", "CollectionRun");
    }

    @Test
    void keepRunningPrintsThePageThatAnswersAndAKeyAndStaysUp() throws Exception {
        Process demo = start("--pods", "40", "--keep-running");
        List<String> lines = new ArrayList<>();
        try {
            try (BufferedReader stdout = new BufferedReader(
                    new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = stdout.readLine(); line != null && !line.equals("Running until Ctrl-C.");
                        line = stdout.readLine()) {
                    lines.add(line);
                }
                String page = lines.stream().filter(line -> line.startsWith("Inventory page: ")).findFirst()
                        .map(line -> line.substring("Inventory page: ".length())).orElseThrow();
                assertThat(page).matches("http://127\\.0\\.0\\.1:\\d+/");
                assertThat(lines).anyMatch(line -> line.startsWith("Sign in with access key "));
                assertThat(lines).noneMatch(line -> line.contains("--keep-running"));
                assertThat(demo.isAlive()).isTrue();
                HttpResponse<String> answer = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(page)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
            }
        } finally {
            demo.destroy();
            assertThat(demo.waitFor(1, TimeUnit.MINUTES)).isTrue();
        }
        String printed = String.join("\n", lines);
        Path log = named(LOG_FILE, printed);
        try {
            assertThat(named(WORK_FOLDER, printed)).as("the folder is deleted at Ctrl-C").doesNotExist();
            assertThat(Files.readString(log)).contains("CollectionRun");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The path that the demo's output names where {@code pattern}'s group 1 is. */
    private static Path named(Pattern pattern, String output) {
        Matcher named = pattern.matcher(output);
        assertThat(named.find()).as(pattern + " in " + output).isTrue();
        return Path.of(named.group(1));
    }

    @Test
    void helpListsEveryOption() {
        assertThat(answer("--help")).contains("--pods", "--port", "--keep-running", "--verbose", "--help", "--version");
    }

    @Test
    void versionIsTheCollectorsVersion() {
        assertThat(answer("--version")).isEqualTo("k8s-collector demo " + Version.current() + System.lineSeparator());
    }

    /** What the demo prints for a help or version option, which starts nothing: it must exit 0. */
    private static String answer(String option) {
        StringWriter text = new StringWriter();
        CommandLine line = new CommandLine(new Demo(new PrintStream(OutputStream.nullOutputStream())));
        line.setOut(new PrintWriter(text, true));
        assertThat(line.execute(option)).as(option).isZero();
        return text.toString();
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Demo.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(dir.resolve("stderr").toFile()).start();
    }

    private Finished runToEnd(String... args) throws IOException, InterruptedException {
        Process demo = start(args);
        String stdout = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = demo.waitFor();
        return new Finished(code, stdout, Files.readString(dir.resolve("stderr")));
    }

    private record Finished(int code, String stdout, String stderr) {}
}
