package io.k8scollector.collector.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The redaction key of a run outside a cluster: {@code $XDG_CONFIG_HOME/k8s-collector/redaction.key}
 * (default {@code ~/.config/k8s-collector/redaction.key}), 32 random bytes made on first use, so
 * that a person's runs from a laptop give the same digests run after run.
 *
 * <p>The key is made in a temporary file created with mode 0600 in a directory of mode 0700, and
 * linked into place only once it is whole: no other user can ever read it, and two first runs at
 * once end up with the one key that was linked first. A key file that is not a regular file of
 * exactly 32 bytes, or that its group or others may read or write, is refused (exit 2), since a
 * key that others have read no longer hides anything.
 */
final class UserKeyFile {

    static final String RELATIVE_PATH = "k8s-collector/redaction.key";
    static final int KEY_BYTES = 32;

    private static final Logger LOG = LoggerFactory.getLogger(UserKeyFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private UserKeyFile() {}

    /** Where the key file is for this environment ({@code XDG_CONFIG_HOME}, else {@code HOME}). */
    static Path location(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, RELATIVE_PATH);
        }
        String home = env.get("HOME");
        Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"));
        return base.resolve(".config").resolve(RELATIVE_PATH);
    }

    /**
     * The key in {@code file}, made first if there is none.
     *
     * @throws ConfigException naming the file when it cannot be made or read, or is unsafe
     */
    static byte[] readOrCreate(Path file) {
        try {
            boolean made = !Files.exists(file, LinkOption.NOFOLLOW_LINKS) && create(file);
            byte[] key = read(file);
            LOG.info(made ? "Made a new redaction key in {}; digests stay stable while it is kept."
                    : "Using the redaction key in {}.", file);
            return key;
        } catch (IOException e) {
            throw refused(file, "cannot be made or read (" + e.getMessage() + ")");
        }
    }

    /** Makes the key file; false when another run made it first. */
    private static boolean create(Path file) throws IOException {
        Path dir = file.getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } else {
            Files.createDirectories(dir);
        }
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                : new FileAttribute<?>[0];
        Path partial = Files.createTempFile(dir, ".redaction-", ".key", ownerOnly);
        try {
            byte[] key = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(key);
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(key));
                channel.force(true);
            }
            Files.createLink(file, partial);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static byte[] read(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(file, "is not a regular file");
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (permissions.stream().anyMatch(OTHERS::contains)) {
                throw refused(file, "may be read or written by others (mode "
                        + PosixFilePermissions.toString(permissions) + "); allowed: rw------- (chmod 600)");
            }
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length != KEY_BYTES) {
            throw refused(file, "holds " + key.length + " bytes; allowed: exactly " + KEY_BYTES
                    + " (delete it to make a new key, which changes every digest)");
        }
        return key;
    }

    private static ConfigException refused(Path file, String problem) {
        return new ConfigException(RedactionSettings.REDACTION_KEY,
                "The redaction key file '" + file + "' " + problem + "; or set " + RedactionSettings.REDACTION_KEY_ENV
                        + " or " + RedactionSettings.REDACTION_KEY + ".");
    }
}
