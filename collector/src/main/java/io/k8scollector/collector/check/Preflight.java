package io.k8scollector.collector.check;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.k8scollector.collector.CollectorException;
import io.k8scollector.collector.check.ListPermissions.Answers;
import io.k8scollector.collector.check.ListPermissions.Permission;
import io.k8scollector.collector.config.CollectorConfig;
import io.k8scollector.collector.config.NamespaceScope;
import io.k8scollector.collector.discovery.ApiServer;
import io.k8scollector.collector.discovery.Catalog;
import io.k8scollector.collector.discovery.RequestRate;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.discovery.TypeDiscovery;
import io.k8scollector.collector.discovery.TypeSelection;
import io.k8scollector.collector.retry.Retrier;
import io.k8scollector.collector.shipping.EndpointLogin;
import io.k8scollector.collector.shipping.ShippingException;
import io.k8scollector.protocol.Skipped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The checks, in the order a run meets them: the configuration (already resolved as a run resolves
 * it), the namespaces it narrows the run to, the API server and its version, the cluster's unique
 * id, discovery, whether each selected type and Helm's release storage may be listed, and, unless
 * a dry-run, a login to the endpoint. It starts no fetching, and lists no object where the API
 * server answers access reviews.
 */
public final class Preflight {

    private final CollectorConfig config;
    private final ApiServer server;
    /** Retries discovery and the permission checks as a run retries its requests to the API server. */
    private final Retrier retrier;
    private final List<CheckLine> lines = new ArrayList<>();

    public Preflight(CollectorConfig config, ApiServer server) {
        this.config = config;
        this.server = server;
        this.retrier = Retrier.of(config.shipping().retry());
    }

    /** Runs every check once. */
    public CheckReport run() {
        lines.add(CheckLine.ok("configuration", "cluster id " + config.clusterId() + (config.dryRun() ? ", a dry-run" : "")));
        lines.add(CheckLine.ok("redaction key", config.redaction().randomKey()
                ? "none configured; this dry-run digests with a random key, so its digests match no other run's"
                : "present"));
        NamespaceScope.warnings(config.selection()).forEach(warning -> lines.add(CheckLine.warn("namespaces", warning)));
        Optional<String> role = cluster();
        endpoint();
        return new CheckReport(lines, role);
    }

    /** The cluster's checks; the ClusterRole when discovery succeeded. */
    private Optional<String> cluster() {
        try {
            VersionInfo version = server.client().getKubernetesVersion();
            lines.add(CheckLine.ok("API server", server.base() + " serves Kubernetes " + version.getGitVersion()));
        } catch (KubernetesClientException e) {
            if (e.getCode() > 0) {
                // It answers; a run never asks for /version, so this alone fails nothing.
                lines.add(CheckLine.ok("API server", server.base() + " answers, but not its version (GET /version: "
                        + ApiServer.reason(e) + ")"));
            } else {
                lines.add(CheckLine.fail("API server", server.base() + " cannot be reached (" + ApiServer.reason(e)
                        + "); a run fails at once: check -external, the kubeconfig's server and the network."));
                return Optional.empty();
            }
        }
        try {
            lines.add(CheckLine.ok("cluster unique id", "the kube-system Namespace's uid is " + server.clusterUniqueId()));
        } catch (CollectorException e) {
            lines.add(CheckLine.fail("cluster unique id", e.getMessage() + " A run fails without it. RBAC: "
                    + RbacRule.KUBE_SYSTEM.inline()));
        }
        Catalog catalog;
        try {
            catalog = new TypeDiscovery(server, TypeSelection.of(config.selection()),
                    new RequestRate(config.limits().apiQps()), retrier).discover();
        } catch (CollectorException e) {
            lines.add(CheckLine.fail("discovery", e.getMessage() + " A run fails at once."));
            return Optional.empty();
        }
        lines.add(CheckLine.ok("discovery", catalog.served().size() + " types served, " + catalog.selected().size()
                + " selected for listing, " + catalog.skippedGroups().size() + " group(s) failing"));
        for (Skipped group : catalog.skippedGroups()) {
            lines.add(CheckLine.warn("discovery of " + group.group() + "/" + group.version(), group.message()
                    + " A run skips every type of the group; no RBAC rule fixes it: repair or remove its APIService "
                    + "(kubectl get apiservice " + group.version() + "." + group.group() + ")."));
        }
        List<ResourceType> helmStorage = catalog.helmStorage();
        permissions(catalog.selected(), helmStorage);
        return Optional.of(LeastPrivilegeRole.yaml(LeastPrivilegeRole.DEFAULT_NAME,
                LeastPrivilegeRole.rules(catalog.selected(), helmStorage)));
    }

    private void permissions(List<ResourceType> selected, List<ResourceType> helmStorage) {
        LinkedHashSet<ResourceType> asked = new LinkedHashSet<>(selected);
        asked.addAll(helmStorage);
        Answers answers;
        try {
            answers = new ListPermissions(server, config.selection().watchNamespace(), retrier).check(List.copyOf(asked));
        } catch (CollectorException e) {
            lines.add(CheckLine.fail("list permissions", e.getMessage()));
            return;
        }
        answers.refusal().ifPresent(refusal -> lines.add(CheckLine.ok("access reviews",
                refusal + "; each type was checked by listing one object instead")));
        for (ResourceType type : selected) {
            lines.add(permissionLine("list " + type.qualifiedName(), answers.byType().get(type), "allowed",
                    "a run skips this type"));
        }
        for (ResourceType type : helmStorage) {
            lines.add(permissionLine("Helm release storage in " + type.qualifiedName(), answers.byType().get(type),
                    "readable", "a run collects no Helm release stored there"));
        }
    }

    /** ok when allowed; else a warning with the reason, what a run then leaves out, and the rule that fixes it. */
    private static CheckLine permissionLine(String what, Permission permission, String allowed, String consequence) {
        return permission.allowed()
                ? CheckLine.ok(what, allowed)
                : CheckLine.warn(what, permission.reason() + "; " + consequence + ". RBAC: " + rule(permission.type()).inline());
    }

    private void endpoint() {
        if (config.dryRun()) {
            lines.add(CheckLine.ok("endpoint", "not contacted (-dry-run)"));
            return;
        }
        try {
            EndpointLogin.login(config.shipping());
            lines.add(CheckLine.ok("endpoint", config.shipping().endpoint() + " is reachable and accepted the keys (a login)"));
        } catch (ShippingException e) {
            lines.add(CheckLine.fail("endpoint", e.getMessage()));
        }
    }

    private static RbacRule rule(ResourceType type) {
        return RbacRule.listAndWatch(type.group(), List.of(type.resource()));
    }
}
