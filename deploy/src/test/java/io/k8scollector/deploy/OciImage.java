package io.k8scollector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OCI image archive (an OCI layout in a tar, as Jib's buildTar writes it) unpacked the way a
 * container runtime would: its config read, its layers extracted in order into one root folder,
 * and its programs run there under chroot as the image's user, with only the image's Env, without
 * a shell and without /proc. Running needs root (for chroot), as the project's CI has.
 */
record OciImage(JsonNode config, Path rootfs) {

    private static final JsonMapper JSON = new JsonMapper();

    /** The user the images run as (their config's User). */
    static final String USER = "65532:65532";

    /**
     * The archive this build made: the path in system property {@code property} (set by the deploy
     * module's pom), else {@code target/fileName}; fails with how to build it when it is missing.
     */
    static Path archive(String property, String fileName) {
        Path archive = Path.of(System.getProperty(property, "target/" + fileName));
        assertThat(archive).as("the image tarball; build it with mvn -pl deploy -am verify").exists();
        return archive;
    }

    /** Unpacks {@code archive} under {@code workDir} (layout in {@code oci}, files in {@code rootfs}). */
    static OciImage unpack(Path archive, Path workDir) {
        Path layout = workDir.resolve("oci");
        Path rootfs = workDir.resolve("rootfs");
        try {
            Files.createDirectories(layout);
            Files.createDirectories(rootfs);
            untar(archive, layout, false);
            JsonNode index = read(layout.resolve("index.json"));
            JsonNode manifest = read(blob(layout, index.path("manifests").get(0).path("digest").asString()));
            for (JsonNode layer : manifest.path("layers")) {
                untar(blob(layout, layer.path("digest").asString()), rootfs,
                        layer.path("mediaType").asString().endsWith("gzip"));
            }
            return new OciImage(read(blob(layout, manifest.path("config").path("digest").asString())), rootfs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image's entrypoint followed by {@code args}. */
    List<String> command(String... args) {
        List<String> command = new ArrayList<>(Manifests.strings(config.path("config").path("Entrypoint")));
        command.addAll(List.of(args));
        return command;
    }

    /** The image's entrypoint with {@code args}, run to its end under chroot in the image. */
    Command.Result run(String... args) {
        return Command.runIsolated(chrooted(command(args)), env());
    }

    /** {@code argv} (a program of the image and its arguments) started under chroot in the image. */
    Process start(List<String> argv, Path log) {
        return Command.startIsolated(chrooted(argv), env(), log);
    }

    /** {@code argv} (a program of the image and its arguments) run to its end under chroot in the image. */
    Command.Result exec(List<String> argv) {
        return Command.runIsolated(chrooted(argv), env());
    }

    private List<String> chrooted(List<String> argv) {
        List<String> chrooted = new ArrayList<>(List.of("/usr/sbin/chroot", "--userspec=" + USER, rootfs.toString()));
        chrooted.addAll(argv);
        return chrooted;
    }

    /** The image's {@code Env}, as a map. */
    Map<String, String> env() {
        Map<String, String> env = new TreeMap<>();
        for (String entry : Manifests.strings(config.path("config").path("Env"))) {
            int eq = entry.indexOf('=');
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return env;
    }

    /** The bytes of every regular file in the image: its uncompressed size. */
    long uncompressedBytes() {
        try (Stream<Path> files = Files.walk(rootfs)) {
            return files.filter(Files::isRegularFile).mapToLong(OciImage::size).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path blob(Path layout, String digest) {
        String[] parts = digest.split(":", 2);
        return layout.resolve("blobs").resolve(parts[0]).resolve(parts[1]);
    }

    private static JsonNode read(Path file) throws IOException {
        return JSON.readTree(Files.readString(file));
    }

    private static void untar(Path archive, Path into, boolean gzip) {
        List<String> argv = new ArrayList<>(List.of("tar", "--warning=no-unknown-keyword", "--same-owner", "-p"));
        argv.add(gzip ? "-xzf" : "-xf");
        argv.add(archive.toString());
        argv.add("-C");
        argv.add(into.toString());
        Command.run(argv, Map.of()).orFail(argv);
    }
}
