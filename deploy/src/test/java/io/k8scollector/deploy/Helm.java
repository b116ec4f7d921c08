package io.k8scollector.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real helm binary run against one of the project's charts as one release in namespace
 * {@code inventory}, with its cache and configuration in a folder of the test's own so that runs
 * never share state. Values are given as YAML text, which keeps their types exact (a number stays
 * a number) for the schema tests.
 */
final class Helm {

    private final Path home;
    private final Path chart;
    private final String release;

    /** The collector's chart, as release {@code collector}. */
    Helm(Path home) {
        this(home, ProjectFiles.chart(), "collector");
    }

    Helm(Path home, Path chart, String release) {
        this.home = home;
        this.chart = chart;
        this.release = release;
    }

    /** The receiver's chart, as release {@code receiver}. */
    static Helm receiver(Path home) {
        return new Helm(home, ProjectFiles.receiverChart(), "receiver");
    }

    Command.Result lint(String valuesYaml) {
        return run("lint", "--strict", chart.toString(), "-f", valuesFile(valuesYaml).toString());
    }

    Command.Result template(String valuesYaml) {
        return run("template", release, chart.toString(),
                "--namespace", "inventory", "-f", valuesFile(valuesYaml).toString());
    }

    /** The release notes {@code helm install} would print for these values (a client-side dry run). */
    String notes(String valuesYaml) {
        List<String> argv = List.of("install", release, chart.toString(), "--namespace", "inventory",
                "--dry-run=client", "-f", valuesFile(valuesYaml).toString());
        Command.Result result = run(argv.toArray(String[]::new));
        if (!result.succeeded()) {
            throw new AssertionError("helm install --dry-run=client failed: " + result.stderr());
        }
        return result.stdout().substring(result.stdout().indexOf("NOTES:"));
    }

    /** The manifests {@code helm template} renders for these values; fails when helm refuses them. */
    Manifests render(String valuesYaml) {
        return parsed(template(valuesYaml));
    }

    /**
     * The manifests rendered against the cluster of {@code kubeconfig}, as {@code helm upgrade}
     * renders them: {@code lookup} reads that cluster.
     */
    Manifests renderAgainst(Path kubeconfig, String valuesYaml) {
        return parsed(templateAgainst(kubeconfig, valuesYaml));
    }

    /** What {@code helm template} answers when rendering against the cluster of {@code kubeconfig}. */
    Command.Result templateAgainst(Path kubeconfig, String valuesYaml) {
        return run("template", release, chart.toString(), "--namespace", "inventory",
                "--dry-run=server", "--disable-openapi-validation", "--kubeconfig", kubeconfig.toString(),
                "-f", valuesFile(valuesYaml).toString());
    }

    private static Manifests parsed(Command.Result result) {
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

    private Command.Result run(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(ProjectFiles.tool("helm").toString());
        argv.addAll(List.of(args));
        return Command.run(argv, Map.of(
                "HELM_CACHE_HOME", home.resolve("cache").toString(),
                "HELM_CONFIG_HOME", home.resolve("config").toString(),
                "HELM_DATA_HOME", home.resolve("data").toString()));
    }
}
