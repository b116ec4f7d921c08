package io.k8scollector.collector.config;

import io.k8scollector.protocol.ClusterId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's configuration: one typed, immutable value built from the command line, the
 * environment and the config directory, and validated before anything is contacted. Every
 * refusal is a {@link ConfigException} naming the key, the bad value and what is allowed.
 *
 * <p>The shipping and redaction stages read their own keys ({@link ShippingSettings},
 * {@link RedactionSettings}); this record holds their validated settings beside its own.
 *
 * @param clusterId the customer's cluster id (positional argument, else {@code CLUSTER_ID})
 * @param shipping where and as whom to send; endpoint and keys absent in a dry-run
 * @param redaction what to redact and the key of its digests
 * @param continuous the mode, and the settings of continuous mode
 */
public record CollectorConfig(
        String clusterId,
        boolean dryRun,
        KubeAccess kube,
        Selection selection,
        Limits limits,
        ShippingSettings shipping,
        RedactionSettings redaction,
        ContinuousSettings continuous) {

    private static final Logger LOG = LoggerFactory.getLogger(CollectorConfig.class);

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern RESOURCE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    private static final Pattern RESOURCE_PATTERN = Pattern.compile("[-a-z0-9.*]+");

    /**
     * Which types and objects to collect.
     *
     * @param resources the resource list ({@code collector.resources}, else the default list)
     * @param toggles the older {@code collector.resources.<name>} switches, by lower-case name
     * @param excludes {@code collector.excludeResources} patterns ({@code *} is a wildcard)
     * @param watchNamespace the one namespace to list namespaced types in, or null for all
     * @param ignoreNamespaces namespaces whose objects are never emitted
     * @param labelSelector passed to the API server with every list, or null
     */
    public record Selection(
            List<String> resources,
            Map<String, Boolean> toggles,
            List<String> excludes,
            String watchNamespace,
            Set<String> ignoreNamespaces,
            String labelSelector) {

        public Selection {
            resources = List.copyOf(resources);
            toggles = Map.copyOf(toggles);
            excludes = List.copyOf(excludes);
            ignoreNamespaces = Set.copyOf(ignoreNamespaces);
        }
    }

    /**
     * How hard to press the API server, and the largest object sent.
     *
     * @param listPageSize objects per list request ({@code limit})
     * @param listConcurrency types listed at once
     * @param apiQps requests per second to the API server
     * @param maxItemSizeKb objects larger than this once serialised are skipped as too large
     */
    public record Limits(int listPageSize, int listConcurrency, int apiQps, int maxItemSizeKb) {}

    /**
     * Builds and validates the configuration.
     *
     * @param env the process environment ({@code CLUSTER_ID}, {@code INFRALIGHT_ACCESS_KEY},
     *     {@code INFRALIGHT_SECRET_KEY}, {@code KUBERNETES_SERVICE_HOST}, {@code KUBECONFIG}, {@code HOME}, {@code REDACTION_KEY},
     *     {@code XDG_CONFIG_HOME})
     * @throws ConfigException on the first bad or missing value
     */
    public static CollectorConfig from(CommandLineFlags flags, Map<String, String> env) {
        String clusterId = clusterId(flags, env);
        KubeAccess kube = kubeAccess(flags, env);
        Path configDir = flags.configDir() == null ? CommandLineFlags.DEFAULT_CONFIG_DIR : flags.configDir();
        if (!Files.exists(configDir)) {
            LOG.warn("The config directory {} does not exist; using the defaults.", configDir);
        }
        ConfigSource source = ConfigSource.fromDirectory(configDir);
        ShippingSettings shipping = ShippingSettings.from(source, env, flags.dryRun());
        return new CollectorConfig(
                clusterId,
                flags.dryRun(),
                kube,
                selection(source),
                limits(source),
                shipping,
                RedactionSettings.from(source, env, kube, flags.dryRun()),
                ContinuousSettings.from(source, flags.watch(), flags.dryRun()));
    }

    private static String clusterId(CommandLineFlags flags, Map<String, String> env) {
        String fromArgument = flags.clusterId();
        String key = fromArgument != null ? "cluster id" : "CLUSTER_ID";
        String id = fromArgument != null ? fromArgument : env.get("CLUSTER_ID");
        if (id == null || id.isBlank()) {
            throw new ConfigException(
                    "CLUSTER_ID", "The cluster id is missing: give it as the argument or in CLUSTER_ID (" + ClusterId.RULE + ").");
        }
        if (!ClusterId.isValid(id)) {
            throw ConfigException.invalid(key, id, ClusterId.RULE);
        }
        return id;
    }

    private static KubeAccess kubeAccess(CommandLineFlags flags, Map<String, String> env) {
        if (flags.external() != null) {
            return new KubeAccess(readableFile("-external", flags.external()), flags.context());
        }
        if (present(env.get("KUBERNETES_SERVICE_HOST")) && flags.context() == null) {
            return KubeAccess.inCluster();
        }
        String kubeconfig = env.get("KUBECONFIG");
        if (present(kubeconfig)) {
            for (String entry : kubeconfig.split(java.io.File.pathSeparator)) {
                if (!entry.isBlank() && Files.isRegularFile(Path.of(entry))) {
                    return new KubeAccess(readableFile("KUBECONFIG", Path.of(entry)), flags.context());
                }
            }
            throw ConfigException.invalid("KUBECONFIG", kubeconfig, "a path to an existing kubeconfig file");
        }
        String home = present(env.get("HOME")) ? env.get("HOME") : System.getProperty("user.home");
        Path fallback = Path.of(home, ".kube", "config");
        if (!Files.isRegularFile(fallback)) {
            throw new ConfigException(
                    "-external",
                    "No Kubernetes configuration: " + fallback + " does not exist; pass -external PATH, set KUBECONFIG, "
                            + "or run in a pod (KUBERNETES_SERVICE_HOST).");
        }
        return new KubeAccess(readableFile("-external", fallback), flags.context());
    }

    private static Path readableFile(String key, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw ConfigException.invalid(key, file.toString(), "a path to an existing, readable kubeconfig file");
        }
        return file;
    }

    private static Selection selection(ConfigSource source) {
        List<String> configured = source.lines("collector.resources");
        List<String> resources = configured.isEmpty() ? DefaultResources.names() : configured;
        List<String> names = new ArrayList<>();
        for (String name : resources) {
            names.add(matching("collector.resources", name.toLowerCase(Locale.ROOT), RESOURCE_NAME, "resource or resource.group names"));
        }
        Map<String, Boolean> toggles = new LinkedHashMap<>();
        source.withPrefix("collector.resources.").forEach((name, value) -> {
            String key = "collector.resources." + name;
            matching(key, name, RESOURCE_NAME, "a key collector.resources.<resource or resource.group>");
            toggles.put(name, source.bool(key, true));
        });
        List<String> excludes = new ArrayList<>();
        for (String pattern : source.lines("collector.excludeResources")) {
            excludes.add(matching(
                    "collector.excludeResources",
                    pattern.toLowerCase(Locale.ROOT),
                    RESOURCE_PATTERN,
                    "resource.group or resource patterns of letters, digits, '-', '.' and '*'"));
        }
        String watchNamespace = source.string("collector.watchNamespace")
                .map(ns -> matching("collector.watchNamespace", ns, DNS_LABEL, "one namespace name"))
                .orElse(null);
        Set<String> ignored = new LinkedHashSet<>();
        for (String ns : source.lines("collector.ignoreNamespaces")) {
            ignored.add(matching("collector.ignoreNamespaces", ns, DNS_LABEL, "namespace names, one per line"));
        }
        return new Selection(
                names, toggles, excludes, watchNamespace, ignored, source.string("collector.labelSelector").orElse(null));
    }

    private static String matching(String key, String value, Pattern pattern, String allowed) {
        if (!pattern.matcher(value).matches()) {
            throw ConfigException.invalid(key, value, allowed);
        }
        return value;
    }

    private static Limits limits(ConfigSource source) {
        return new Limits(
                source.integer("collector.listPageSize", 500, 1, 10_000),
                source.integer("collector.listConcurrency", 2, 1, 64),
                source.integer("collector.apiQps", 50, 1, 10_000),
                source.integer("collector.maxItemSizeKb", 1500, 1, 1_048_576));
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
