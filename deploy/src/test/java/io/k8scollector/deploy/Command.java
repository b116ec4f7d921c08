package io.k8scollector.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A program the tests run (helm, skopeo, tar, chroot), and what it answered. */
final class Command {

    /** What one run answered. */
    record Result(int exitCode, String stdout, String stderr) {

        boolean succeeded() {
            return exitCode == 0;
        }

        /** This result, or an error with the command's output when it failed. */
        Result orFail(List<String> argv) {
            if (!succeeded()) {
                throw new AssertionError(String.join(" ", argv) + " exited " + exitCode + ": " + stderr + stdout);
            }
            return this;
        }
    }

    private Command() {
    }

    /** Runs {@code argv} with this process's environment plus {@code env}. */
    static Result run(List<String> argv, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().putAll(env);
        return run(builder);
    }

    /** Runs {@code argv} with exactly {@code env} as its environment. */
    static Result runIsolated(List<String> argv, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().clear();
        builder.environment().putAll(env);
        return run(builder);
    }

    /**
     * Starts {@code argv} with exactly {@code env} as its environment, its output and errors going
     * to {@code log}; the caller stops it.
     */
    static Process startIsolated(List<String> argv, Map<String, String> env, Path log) {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + argv.get(0), e);
        }
    }

    private static Result run(ProcessBuilder builder) {
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String stdout = read(process.getInputStream());
            return new Result(process.waitFor(), stdout, stderr.join());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + builder.command().get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + builder.command().get(0), e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
