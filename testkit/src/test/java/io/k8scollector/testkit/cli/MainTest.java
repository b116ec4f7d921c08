package io.k8scollector.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    @Test
    void aNegativePodCountIsBadInput() {
        assertThat(run("--pods", "-5", "--kubeconfig", dir.resolve("kc").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("pods must be 0 or more, not -5");
        assertThat(dir.resolve("kc")).doesNotExist();
    }

    @Test
    void aNegativeChurnIsBadInput() {
        assertThat(run("--churn", "-1", "--kubeconfig", dir.resolve("kc").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("churn must be between 0 and 100000 changes per second, not -1.0");
        assertThat(dir.resolve("kc")).doesNotExist();
    }

    @Test
    void aMissingKubeconfigOptionIsBadInput() {
        assertThat(run("--pods", "5")).isEqualTo(2);
        assertThat(err.toString()).contains("--kubeconfig");
    }

    @Test
    void aTakenPortFailsWithOneLineNamingIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThat(run("--port", Integer.toString(port), "--kubeconfig", dir.resolve("kc").toString()))
                    .isEqualTo(1);
            assertThat(err.toString()).startsWith("k8s-testcluster: Cannot listen on 127.0.0.1:" + port + ": ");
        }
    }

    @Test
    void helpListsEveryOption() {
        assertThat(answer("--help")).contains("--pods", "--namespaces", "--seed", "--port", "--churn", "--watch-history",
                "--bookmark-seconds", "--kubeconfig", "--help", "--version");
    }

    @Test
    void versionNamesTheBuild() {
        assertThat(answer("--version")).matches("k8s-testcluster \\d+\\.\\d+\\.\\d+\\R");
    }

    /** What the command prints for a help or version option, which starts no cluster: it must exit 0. */
    private static String answer(String option) {
        StringWriter out = new StringWriter();
        assertThat(new CommandLine(new Main()).setOut(new PrintWriter(out, true)).execute(option)).as(option).isZero();
        return out.toString();
    }

    private int run(String... args) {
        return new CommandLine(new Main()).setErr(new PrintWriter(err, true)).execute(args);
    }
}
