package io.k8scollector.collector.discovery;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.k8scollector.collector.CollectorException;
import io.k8scollector.collector.Version;
import io.k8scollector.collector.config.ConfigException;
import io.k8scollector.collector.config.KubeAccess;
import java.net.URI;

/**
 * The cluster's API server, reached with fabric8's configuration, authentication and HTTP client
 * (JDK transport). Every request carries {@code User-Agent: k8s-collector/<version>}. fabric8's
 * own retries are off: the listing retries what can succeed later, under its own rules.
 */
public final class ApiServer implements AutoCloseable {

    private final KubernetesClient client;
    private final URI base;

    private ApiServer(KubernetesClient client) {
        this.client = client;
        String master = client.getConfiguration().getMasterUrl();
        this.base = URI.create(master.endsWith("/") ? master.substring(0, master.length() - 1) : master);
    }

    /**
     * A client for the cluster {@code access} names. Nothing is contacted yet.
     *
     * @throws ConfigException when the kubeconfig cannot be read or lacks the context asked for
     */
    public static ApiServer connect(KubeAccess access) {
        Config config = config(access);
        config.setUserAgent(Version.userAgent());
        config.setRequestRetryBackoffLimit(0);
        return new ApiServer(new KubernetesClientBuilder().withConfig(config).build());
    }

    private static Config config(KubeAccess access) {
        if (access.inClusterAccount()) {
            return Config.autoConfigure(null);
        }
        Config config;
        try {
            config = Config.fromKubeconfig(access.context(), access.kubeconfig().toFile());
        } catch (KubernetesClientException | IllegalArgumentException e) {
            throw new ConfigException(
                    "-external", "-external: cannot use the kubeconfig '" + access.kubeconfig() + "': " + e.getMessage());
        }
        if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
            throw new ConfigException("-external", "-external: the kubeconfig '" + access.kubeconfig() + "' names no server.");
        }
        if (access.context() != null
                && (config.getCurrentContext() == null || !access.context().equals(config.getCurrentContext().getName()))) {
            throw ConfigException.invalid("--context", access.context(), "a context of " + access.kubeconfig());
        }
        return config;
    }

    /** fabric8's client, for discovery. */
    public KubernetesClient client() {
        return client;
    }

    /** The authenticated HTTP client every request to this server goes through. */
    public HttpClient http() {
        return client.getHttpClient();
    }

    /** The URL of {@code pathAndQuery} (which starts with {@code /}) on this server. */
    public URI resolve(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    /** The server's base URL, for messages. */
    public URI base() {
        return base;
    }

    /**
     * The cluster's unique id: the {@code metadata.uid} of its {@code kube-system} Namespace.
     *
     * @throws CollectorException when that Namespace cannot be read
     */
    public String clusterUniqueId() {
        String url = base + "/api/v1/namespaces/kube-system";
        Namespace namespace;
        try {
            namespace = client.namespaces().withName("kube-system").get();
        } catch (KubernetesClientException e) {
            throw new CollectorException("Cannot read the kube-system Namespace at " + url
                    + " (its uid is the cluster's unique id): " + reason(e) + ".", e);
        }
        if (namespace == null || namespace.getMetadata() == null || namespace.getMetadata().getUid() == null) {
            throw new CollectorException("The kube-system Namespace at " + url
                    + " was not found or has no uid; its uid is the cluster's unique id.");
        }
        return namespace.getMetadata().getUid();
    }

    /** Why a request failed, for messages: its HTTP status, else the transport error. */
    public static String reason(KubernetesClientException e) {
        if (e.getCode() > 0) {
            return "HTTP " + e.getCode();
        }
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    @Override
    public void close() {
        client.close();
    }
}
