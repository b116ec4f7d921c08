package io.k8scollector.collector.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Raw configuration entries with typed, validated accessors. Keys are case-insensitive, because
 * the original collector's chart and code spelled the same key differently. Every accessor that
 * refuses a value throws a {@link ConfigException} naming the key, the value and what is allowed.
 * Built from a plain map so that tests never touch the file system or the environment.
 */
public final class ConfigSource {

    private final Map<String, String> entries;

    private ConfigSource(Map<String, String> entries) {
        this.entries = entries;
    }

    /** A source over {@code entries}; later keys that differ only in case replace earlier ones. */
    public static ConfigSource of(Map<String, String> entries) {
        Map<String, String> folded = new TreeMap<>();
        entries.forEach((key, value) -> folded.put(fold(key), value));
        return new ConfigSource(folded);
    }

    /**
     * Reads a config directory as a ConfigMap mounts it: one file per key, the file's content the
     * value. Entries whose names start with {@code ..} are the mount's own bookkeeping and are
     * skipped, as are sub-directories. A missing directory is an empty source; an unreadable one
     * is an error.
     */
    public static ConfigSource fromDirectory(Path dir) {
        if (!Files.exists(dir)) {
            return of(Map.of());
        }
        if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
            throw new ConfigException("-config", "-config: '" + dir + "' is not a readable directory.");
        }
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String name = file.getFileName().toString();
                if (name.startsWith("..") || Files.isDirectory(file)) {
                    continue;
                }
                entries.put(name, Files.readString(file, StandardCharsets.UTF_8));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ConfigException("-config", "-config: cannot read '" + dir + "': " + e.getMessage());
        }
        return of(entries);
    }

    /** The trimmed value of {@code key}; absent when missing or blank. */
    public Optional<String> string(String key) {
        String value = entries.get(fold(key));
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.trim());
    }

    /** The trimmed value of {@code key}, or {@code fallback}. */
    public String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    /** A whole number from {@code min} to {@code max}, or {@code fallback} when absent. */
    public int integer(String key, int fallback, int min, int max) {
        Optional<String> raw = string(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with what is allowed
        }
        throw ConfigException.invalid(key, raw.get(), "a whole number from " + min + " to " + max);
    }

    /** {@code true} or {@code false} (any case), or {@code fallback} when absent. */
    public boolean bool(String key, boolean fallback) {
        Optional<String> raw = string(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ConfigException.invalid(key, raw.get(), "true or false");
        };
    }

    /** One of {@code allowed} (any case, answered in lower case), or {@code fallback}. */
    public String choice(String key, String fallback, List<String> allowed) {
        Optional<String> raw = string(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        String value = raw.get().toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            throw ConfigException.invalid(key, raw.get(), String.join(", ", allowed));
        }
        return value;
    }

    /**
     * A list written one entry per line (a ConfigMap's multi-line value); blank lines and lines
     * starting with {@code #} are ignored, as are commas so that {@code a,b} also works.
     */
    public List<String> lines(String key) {
        Optional<String> raw = string(key);
        if (raw.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (String line : raw.get().split("\\R")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            for (String part : trimmed.split(",")) {
                if (!part.isBlank()) {
                    lines.add(part.trim());
                }
            }
        }
        return List.copyOf(lines);
    }

    /**
     * The entries whose keys start with {@code prefix} (case-insensitive), keyed by the rest of
     * the key in lower case: {@code collector.resources.} gives {@code pods -> true}.
     */
    public Map<String, String> withPrefix(String prefix) {
        String folded = fold(prefix);
        Map<String, String> found = new TreeMap<>();
        entries.forEach((key, value) -> {
            if (key.startsWith(folded) && key.length() > folded.length()) {
                found.put(key.substring(folded.length()), value.trim());
            }
        });
        return found;
    }

    private static String fold(String key) {
        return key.trim().toLowerCase(Locale.ROOT);
    }
}
