package io.k8scollector.collector.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The resource types collected by default. The list lives once, in the Helm chart's
 * {@code files/default-resources.txt}, which the build copies into the jar.
 */
public final class DefaultResources {

    private static final String RESOURCE = "default-resources.txt";

    private DefaultResources() {}

    /** The list's entries: bare names for the core group, {@code resource.group} otherwise. */
    public static List<String> names() {
        try (InputStream in = DefaultResources.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the collector's jar.");
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return reader.lines()
                        .map(String::trim)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
