package io.k8scollector.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the real command-line tools tests drive: {@code $K8S_COLLECTOR_TOOLS/bin}, else
 * {@code .tools/bin} of the project root (found by walking up from the working directory).
 */
public final class Tools {

    private Tools() {}

    /** The kubectl binary. */
    public static Path kubectl() {
        return find("kubectl");
    }

    /** The helm binary. */
    public static Path helm() {
        return find("helm");
    }

    private static Path find(String name) {
        String env = System.getenv("K8S_COLLECTOR_TOOLS");
        if (env != null && !env.isBlank()) {
            Path candidate = Path.of(env, "bin", name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".tools").resolve("bin").resolve(name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(name + " not found in $K8S_COLLECTOR_TOOLS/bin or .tools/bin of the project;"
                + " run bin/setup");
    }
}
