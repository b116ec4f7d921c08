package io.k8scollector.collector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The collector's own version, from the build, and the User-Agent it sends with it. */
public final class Version {

    private static final String CURRENT = load();

    private Version() {}

    /** The version, as in {@code 1.0.0}. */
    public static String current() {
        return CURRENT;
    }

    /** {@code k8s-collector/<version>}, sent to the API server and the ingest endpoint. */
    public static String userAgent() {
        return userAgent(CURRENT);
    }

    /** The User-Agent of the collector at {@code version} (the one a fetching says it was made by). */
    public static String userAgent(String version) {
        return "k8s-collector/" + version;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the collector's jar.");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
