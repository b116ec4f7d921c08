package io.k8scollector.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

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
