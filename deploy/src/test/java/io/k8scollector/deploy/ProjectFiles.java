package io.k8scollector.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the tests find the project's files and tools: the project root from the build (system
 * property {@code k8s.collector.root}), the tools from {@code K8S_COLLECTOR_TOOLS} or the root's
 * {@code .tools} folder, as bin/setup installs them.
 */
final class ProjectFiles {

    private ProjectFiles() {
    }

    static Path root() {
        String root = System.getProperty("k8s.collector.root");
        return (root == null ? Path.of("..") : Path.of(root)).toAbsolutePath().normalize();
    }

    static Path chart() {
        return root().resolve("charts/k8s-collector");
    }

    static Path receiverChart() {
        return root().resolve("charts/k8s-receiver");
    }

    static Path defaultResourcesFile() {
        return chart().resolve("files/default-resources.txt");
    }

    /**
     * The JVM options {@code bin/k8s-collector} starts the collector with (its {@code JAVA_OPTS}
     * line, before the user's), which the image and the chart must give it too.
     */
    static List<String> launcherJvmOptions() {
        return Arrays.asList(launcher("(?m)^JAVA_OPTS=\"([^$\"]*)\\$\\{JAVA_OPTS").trim().split("\\s+"));
    }

    /** The {@code MALLOC_ARENA_MAX} {@code bin/k8s-collector} sets unless the environment has one. */
    static String launcherMallocArenaMax() {
        return launcher("(?m)^export MALLOC_ARENA_MAX=\\$\\{MALLOC_ARENA_MAX:-([0-9]+)}");
    }

    private static String launcher(String regex) {
        Path launcher = root().resolve("bin/k8s-collector");
        try {
            Matcher found = Pattern.compile(regex).matcher(Files.readString(launcher));
            if (!found.find()) {
                throw new IllegalStateException(launcher + " has no line matching " + regex);
            }
            return found.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + launcher, e);
        }
    }

    /** A tool from the project's tools folder; fails with what to run when it is missing. */
    static Path tool(String name) {
        String tools = System.getenv("K8S_COLLECTOR_TOOLS");
        Path dir = tools == null || tools.isBlank() ? root().resolve(".tools") : Path.of(tools);
        Path tool = dir.resolve("bin").resolve(name);
        if (!Files.isExecutable(tool)) {
            throw new IllegalStateException(tool + " is missing; run bin/setup to install it.");
        }
        return tool;
    }
}
