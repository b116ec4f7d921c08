package io.k8scollector.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The real helm binary run against the project's chart, with its cache and configuration in a
 * folder of the test's own so that runs never share state. Values are given as YAML text, which
 * keeps their types exact (a number stays a number) for the schema tests.
 */
final class Helm {

    /** What one helm command answered. */
    record Result(int exitCode, String stdout, String stderr) {

        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private final Path home;

    Helm(Path home) {
        this.home = home;
    }

    Result lint(String valuesYaml) {
        return run("lint", "--strict", ProjectFiles.chart().toString(), "-f", valuesFile(valuesYaml).toString());
    }

    Result template(String valuesYaml) {
        return run("template", "collector", ProjectFiles.chart().toString(),
                "--namespace", "inventory", "-f", valuesFile(valuesYaml).toString());
    }

    /** The manifests {@code helm template} renders for these values; fails when helm refuses them. */
    Manifests render(String valuesYaml) {
        Result result = template(valuesYaml);
        if (!result.succeeded()) {
            throw new AssertionError("helm template failed: " + result.stderr());
        }
        return Manifests.parse(result.stdout());
    }

    private Path valuesFile(String valuesYaml) {
        try {
            Path file = Files.createTempFile(home, "values-", ".yaml");
            Files.writeString(file, valuesYaml, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProjectFiles.tool("helm").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
        builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
        builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String stdout = read(process.getInputStream());
            return new Result(process.waitFor(), stdout, stderr.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running helm.", e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
