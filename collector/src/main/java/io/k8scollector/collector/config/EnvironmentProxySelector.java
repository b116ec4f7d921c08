package io.k8scollector.collector.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Routes requests the way {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code NO_PROXY} say (upper
 * or lower case, upper case first), as curl and Go do: https URLs through {@code HTTPS_PROXY},
 * http URLs through {@code HTTP_PROXY}, directly when the host is {@code localhost}, a loopback
 * address, or matches a {@code NO_PROXY} entry ({@code *} for all; {@code example.com} and
 * {@code .example.com} both match the domain and its sub-domains; a {@code :port} on an entry is
 * ignored). Built from a plain map so that tests never touch the environment. Proxy credentials in
 * the URL are not used.
 */
public final class EnvironmentProxySelector extends ProxySelector {

    private final Optional<InetSocketAddress> httpsProxy;
    private final Optional<InetSocketAddress> httpProxy;
    private final List<String> noProxy;

    private EnvironmentProxySelector(
            Optional<InetSocketAddress> httpsProxy, Optional<InetSocketAddress> httpProxy, List<String> noProxy) {
        this.httpsProxy = httpsProxy;
        this.httpProxy = httpProxy;
        this.noProxy = noProxy;
    }

    /**
     * Reads the proxy variables from {@code env}.
     *
     * @throws ConfigException naming the variable when a proxy is not a {@code host:port} or URL
     */
    public static EnvironmentProxySelector from(Map<String, String> env) {
        List<String> noProxy = new ArrayList<>();
        for (String entry : variable(env, "NO_PROXY").orElse("").split(",")) {
            String host = entry.trim().toLowerCase(Locale.ROOT).replaceFirst(":\\d+$", "");
            host = host.startsWith("*.") ? host.substring(2) : host.startsWith(".") ? host.substring(1) : host;
            if (!host.isEmpty()) {
                noProxy.add(host);
            }
        }
        return new EnvironmentProxySelector(
                proxy(env, "HTTPS_PROXY"), proxy(env, "HTTP_PROXY"), List.copyOf(noProxy));
    }

    @Override
    public List<Proxy> select(URI uri) {
        Optional<InetSocketAddress> proxy = "https".equalsIgnoreCase(uri.getScheme()) ? httpsProxy : httpProxy;
        if (proxy.isEmpty() || bypasses(uri.getHost())) {
            return List.of(Proxy.NO_PROXY);
        }
        return List.of(new Proxy(Proxy.Type.HTTP, proxy.get()));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException cause) {
        // the request's own error reports the failure; there is no other proxy to fall back to
    }

    private boolean bypasses(String rawHost) {
        if (rawHost == null) {
            return true;
        }
        String host = rawHost.toLowerCase(Locale.ROOT).replaceAll("^\\[|\\]$", "");
        if (host.equals("localhost") || host.startsWith("127.") || host.equals("::1")) {
            return true;
        }
        for (String entry : noProxy) {
            if (entry.equals("*") || host.equals(entry) || host.endsWith("." + entry)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<InetSocketAddress> proxy(Map<String, String> env, String name) {
        Optional<String> raw = variable(env, name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String value = raw.get().contains("://") ? raw.get() : "http://" + raw.get();
        try {
            URI uri = URI.create(value);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return Optional.of(InetSocketAddress.createUnresolved(uri.getHost(), port));
        } catch (IllegalArgumentException e) {
            // the value may hold proxy credentials: name the variable, never echo it
            throw new ConfigException(name, name + " is not a valid proxy; allowed: host:port or http://host:port.");
        }
    }

    private static Optional<String> variable(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            value = env.get(name.toLowerCase(Locale.ROOT));
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
