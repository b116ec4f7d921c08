package io.k8scollector.collector.config;

import io.k8scollector.collector.retry.RetryPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the HTTP sink needs, read and validated before anything is contacted. The keys and
 * their defaults are listed in docs/protocol.md ("Shipping settings").
 *
 * @param endpoint the ingest endpoint, without a trailing slash; {@code null} only for a dry-run
 *     without one
 * @param loginEndpoint where to log in; the endpoint unless configured
 * @param credentials the key pair; {@code null} only for a dry-run
 * @param pageSizeKib the most a page body may hold before compression, in KiB, unless one record is larger
 * @param concurrency pages in flight at once, at most {@link #MAX_CONCURRENCY}
 * @param gzipLevel 0 to 9
 * @param caFile extra CA certificates (PEM) trusted for the endpoint
 * @param connectTimeout per connection attempt
 * @param requestTimeout per request attempt, until the whole answer arrived
 * @param proxies routes from {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code NO_PROXY}
 */
public record ShippingSettings(
        URI endpoint,
        URI loginEndpoint,
        Credentials credentials,
        boolean overrideUniqueClusterId,
        int pageSizeKib,
        int concurrency,
        int gzipLevel,
        RetryPolicy retry,
        Optional<Path> caFile,
        Duration connectTimeout,
        Duration requestTimeout,
        EnvironmentProxySelector proxies) {

    public static final String ENDPOINT = "endpoint";
    public static final String LOGIN_ENDPOINT = "loginEndpoint";
    public static final String ACCESS_KEY = "INFRALIGHT_ACCESS_KEY";
    public static final String SECRET_KEY = "INFRALIGHT_SECRET_KEY";
    public static final String OVERRIDE_UNIQUE_CLUSTER_ID = "collector.overrideUniqueClusterId";
    public static final String PAGE_SIZE = "collector.PageSize";
    public static final String MAX_GO_ROUTINES = "collector.MaxGoRoutines";
    public static final String GZIP_LEVEL = "collector.gzipLevel";
    public static final String RETRY_MAX_ATTEMPTS = "collector.retry.maxAttempts";
    public static final String RETRY_DEADLINE_SECONDS = "collector.retry.deadlineSeconds";
    public static final String ENDPOINT_CA_FILE = "collector.endpointCaFile";
    public static final String CONNECT_TIMEOUT_SECONDS = "collector.connectTimeoutSeconds";
    public static final String REQUEST_TIMEOUT_SECONDS = "collector.requestTimeoutSeconds";
    public static final String ALLOW_INSECURE_ENDPOINT = "collector.allowInsecureEndpoint";

    private static final Pattern LOOPBACK_IPV4 = Pattern.compile("127(\\.\\d{1,3}){3}");

    /**
     * The cap on pages in flight. The original collector defaulted to 50 goroutines; past a
     * handful, concurrent gzip pages only add memory and load on the endpoint, and two cores
     * are saturated well before 16 requests.
     */
    public static final int MAX_CONCURRENCY = 16;

    private static final Logger LOG = LoggerFactory.getLogger(ShippingSettings.class);

    public ShippingSettings {
        if (pageSizeKib < 1) {
            throw new IllegalArgumentException("pageSizeKib must be at least 1, was " + pageSizeKib);
        }
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("concurrency must be from 1 to " + MAX_CONCURRENCY + ", was " + concurrency);
        }
        if (gzipLevel < 0 || gzipLevel > 9) {
            throw new IllegalArgumentException("gzipLevel must be from 0 to 9, was " + gzipLevel);
        }
    }

    /**
     * Reads the settings from {@code source} (config directory and flags) and {@code env} (keys,
     * proxies). In a dry-run the endpoint and keys may be absent. The endpoints must be
     * {@code https://}, unless on a loopback host or with {@value #ALLOW_INSECURE_ENDPOINT}: the
     * login sends the secret key and every page the inventory. A {@value #ENDPOINT_CA_FILE} is
     * read here, so that a bad one is found before the API server is contacted.
     *
     * @throws ConfigException naming the key or variable at the first bad or missing value
     */
    public static ShippingSettings from(ConfigSource source, Map<String, String> env, boolean dryRun) {
        boolean allowInsecure = source.bool(ALLOW_INSECURE_ENDPOINT, false);
        Optional<URI> endpoint = source.string(ENDPOINT).map(value -> url(ENDPOINT, value, allowInsecure));
        if (endpoint.isEmpty() && !dryRun) {
            throw new ConfigException(ENDPOINT, ENDPOINT + " is not set; allowed: an http or https URL such as "
                    + "https://ingest.example.com (or run with -dry-run).");
        }
        URI login = source.string(LOGIN_ENDPOINT).map(value -> url(LOGIN_ENDPOINT, value, allowInsecure)).orElse(endpoint.orElse(null));
        Credentials credentials = null;
        if (!dryRun) {
            credentials = new Credentials(required(env, ACCESS_KEY), required(env, SECRET_KEY));
        }
        Optional<Path> caFile = source.string(ENDPOINT_CA_FILE).map(Path::of);
        caFile.ifPresent(file -> EndpointTrust.sslContext(caFile));
        int concurrency = source.integer(MAX_GO_ROUTINES, 4, 1, Integer.MAX_VALUE);
        if (concurrency > MAX_CONCURRENCY) {
            LOG.warn("{} is {}; capped at {} concurrent requests", MAX_GO_ROUTINES, concurrency, MAX_CONCURRENCY);
            concurrency = MAX_CONCURRENCY;
        }
        return new ShippingSettings(
                endpoint.orElse(null),
                login,
                credentials,
                source.bool(OVERRIDE_UNIQUE_CLUSTER_ID, false),
                source.integer(PAGE_SIZE, 500, 1, 10 * 1024),
                concurrency,
                source.integer(GZIP_LEVEL, 1, 0, 9),
                RetryPolicy.of(
                        source.integer(RETRY_MAX_ATTEMPTS, RetryPolicy.DEFAULT_MAX_ATTEMPTS, 1, 100),
                        Duration.ofSeconds(source.integer(RETRY_DEADLINE_SECONDS, 120, 1, 3600))),
                caFile,
                Duration.ofSeconds(source.integer(CONNECT_TIMEOUT_SECONDS, 10, 1, 600)),
                Duration.ofSeconds(source.integer(REQUEST_TIMEOUT_SECONDS, 60, 1, 3600)),
                EnvironmentProxySelector.from(env));
    }

    /** The page limit in bytes. */
    public int pageSizeBytes() {
        return pageSizeKib * 1024;
    }

    private static URI url(String key, String value, boolean allowInsecure) {
        String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        URI uri = null;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            // reported below with what is allowed
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https"))
                || uri.getHost() == null
                || uri.getQuery() != null
                || uri.getFragment() != null
                || uri.getUserInfo() != null) {
            throw ConfigException.invalid(key, masked(value),
                    "an http or https URL without user info or query, such as https://ingest.example.com");
        }
        if (scheme.equals("http") && !allowInsecure && !loopback(uri.getHost())) {
            throw new ConfigException(key, key + ": '" + masked(value) + "' would send the keys and the inventory in clear;"
                    + " allowed: an https URL, http only on a loopback host (127.0.0.0/8, ::1, localhost)"
                    + " or with " + ALLOW_INSECURE_ENDPOINT + "=true.");
        }
        return uri;
    }

    /**
     * {@code value} as an error may show it: what stands before the last {@code @} after the
     * scheme is taken as user info, even when the URL does not parse, and its password (after the
     * first {@code :}), or all of it without one, becomes {@code ***}.
     */
    static String masked(String value) {
        int at = value.lastIndexOf('@');
        if (at < 0) {
            return value;
        }
        int scheme = value.indexOf("://");
        int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
        int colon = value.indexOf(':', start);
        int secret = colon >= 0 && colon < at ? colon + 1 : start;
        return value.substring(0, secret) + "***" + value.substring(at);
    }

    /** A loopback host by its name alone: nothing is resolved before the run starts. */
    private static boolean loopback(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return name.equals("localhost") || LOOPBACK_IPV4.matcher(name).matches()
                || name.equals("[::1]") || name.equals("[0:0:0:0:0:0:0:1]");
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new ConfigException(name, name + " is not set; the cluster's access key pair is required to send "
                    + "(or run with -dry-run).");
        }
        return value.trim();
    }

    /** The access key pair; {@link #toString()} never shows the secret. */
    public record Credentials(String accessKey, String secretKey) {

        @Override
        public String toString() {
            return "Credentials[***]";
        }
    }
}
