package io.k8scollector.collector.watching;

import io.k8scollector.collector.config.CollectorConfig.Selection;
import io.k8scollector.collector.discovery.ResourceType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Which objects of a type a watch sees: the same namespace scoping and label selector as the
 * listing ({@code collector.watchNamespace}, {@code collector.labelSelector}, and
 * {@code collector.ignoreNamespaces}, applied to each event as the listing applies it to each item).
 *
 * @param namespace the one namespace namespaced types are watched in, or null for all
 * @param labelSelector passed to the API server, or null
 * @param ignoreNamespaces namespaces whose objects' events are dropped
 */
public record WatchScope(String namespace, String labelSelector, Set<String> ignoreNamespaces) {

    public WatchScope {
        ignoreNamespaces = Set.copyOf(ignoreNamespaces);
    }

    /** The scope the listing uses for {@code selection}. */
    public static WatchScope of(Selection selection) {
        return new WatchScope(selection.watchNamespace(), selection.labelSelector(), selection.ignoreNamespaces());
    }

    /**
     * This scope with another label selector: Helm's storage is watched by its own label
     * ({@code owner=helm}) when the main watch does not cover it.
     */
    public WatchScope withLabelSelector(String selector) {
        return new WatchScope(namespace, selector, ignoreNamespaces);
    }

    /** Whether an object in {@code objectNamespace} (empty when cluster-scoped) is left out. */
    boolean ignores(String objectNamespace) {
        return ignoreNamespaces.contains(objectNamespace);
    }

    /** The watch URL of {@code type} from {@code resourceVersion}, with bookmarks and a server-side timeout. */
    String url(ResourceType type, String resourceVersion, int timeoutSeconds) {
        String path = type.namespaced() && namespace != null ? type.listPath(namespace) : type.listPath();
        StringBuilder url = new StringBuilder(path)
                .append("?watch=1&resourceVersion=").append(encode(resourceVersion))
                .append("&allowWatchBookmarks=true&timeoutSeconds=").append(timeoutSeconds);
        if (labelSelector != null) {
            url.append("&labelSelector=").append(encode(labelSelector));
        }
        return url.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
