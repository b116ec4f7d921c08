package io.k8scollector.testkit.generator;

import static io.k8scollector.testkit.generator.Seeded.metadata;
import static io.k8scollector.testkit.generator.Seeded.strings;

import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.store.ObjectStore;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fills a store with a realistic cluster of the spec's size: the system namespaces and application
 * namespaces, nodes, workloads owning their pods, services, configuration, RBAC, storage, Helm
 * releases, CRDs with their custom resources, and metrics. The same spec gives the same objects.
 */
public final class ClusterGenerator {

    private static final List<String> APP_NAMESPACES = List.of("shop", "payments", "analytics", "platform",
            "search", "identity", "billing", "media");
    private static final List<String> SYSTEM_NAMESPACES = List.of("kube-system", "kube-public", "kube-node-lease",
            "default", "monitoring", "argocd");

    private final ClusterSpec spec;
    private final Seeded seeded;

    /** A generator for that spec. */
    public ClusterGenerator(ClusterSpec spec) {
        this.spec = spec;
        this.seeded = new Seeded(spec.seed());
    }

    /** The names of the application namespaces of a spec. */
    public static List<String> appNamespaces(ClusterSpec spec) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < spec.namespaces(); i++) {
            names.add(i < APP_NAMESPACES.size() ? APP_NAMESPACES.get(i) : "app-" + (i + 1));
        }
        return names;
    }

    /** How many Nodes a spec's cluster has: one per 50 pods, at least 3, named {@code node-N}. */
    static int nodeCount(ClusterSpec spec) {
        return Math.max(3, (spec.pods() + 49) / 50);
    }

    /** Generates every object into {@code store}. */
    public void populate(ObjectStore store) {
        List<String> apps = appNamespaces(spec);
        Platform platform = new Platform(seeded, store);
        List<String> namespaces = new ArrayList<>(SYSTEM_NAMESPACES);
        namespaces.addAll(apps);
        namespaces.forEach(platform::namespace);
        List<String> nodes = platform.nodes(nodeCount(spec));
        platform.clusterWide();
        new CustomResources(seeded, store).definitionsAndObjects(apps);
        Workloads workloads = new Workloads(seeded, new Pods(seeded, nodes), store);
        int remaining = spec.pods();
        int daemonPods = Math.min(nodes.size(), remaining / 10);
        workloads.daemonSet("monitoring", "node-exporter", daemonPods);
        remaining -= daemonPods;
        int jobPods = remaining / 20;
        workloads.cronJob("analytics".equals(apps.get(0)) ? apps.get(0) : apps.get(apps.size() - 1), "report",
                jobPods);
        remaining -= jobPods;
        int statefulPods = remaining / 10 / 3 * 3;
        for (int i = 0; statefulPods > 0; i++) {
            workloads.statefulSet(apps.get(i % apps.size()), "db-" + i, 3);
            statefulPods -= 3;
            remaining -= 3;
        }
        for (int i = 0; remaining > 0; i++) {
            int replicas = Math.min(remaining, seeded.between(5, 15));
            workloads.deployment(apps.get(i % apps.size()), "svc-" + i, replicas);
            if (i < apps.size()) {
                workloads.expose(apps.get(i), "svc-" + i);
            }
            remaining -= replicas;
        }
        new HelmReleases(seeded, store).releases(apps.get(0));
    }

    /** Namespaces, nodes and the cluster-scoped and per-namespace objects every cluster has. */
    private static final class Platform {
        private final Seeded seeded;
        private final ObjectStore store;

        Platform(Seeded seeded, ObjectStore store) {
            this.seeded = seeded;
            this.store = store;
        }

        void namespace(String name) {
            ObjectNode namespace = seeded.object("v1", "Namespace", null, name);
            strings(metadata(namespace), "labels", "kubernetes.io/metadata.name", name);
            Seeded.array(namespace.putObject("spec"), "finalizers", "kubernetes");
            namespace.putObject("status").put("phase", "Active");
            store.put(namespace);
            ObjectNode account = seeded.object("v1", "ServiceAccount", name, "default");
            store.put(account);
            ObjectNode token = seeded.object("v1", "Secret", name, "default-token-" + seeded.hash(5));
            strings(metadata(token), "annotations", "kubernetes.io/service-account.name", "default",
                    "kubernetes.io/service-account.uid", Seeded.uid(account));
            token.put("type", "kubernetes.io/service-account-token");
            strings(token, "data", "token", Seeded.base64("eyJhbGciOiJSUzI1NiJ9." + seeded.fakeSecret()),
                    "namespace", Seeded.base64(name), "ca.crt", Seeded.base64("fake-ca"));
            store.put(token);
            ObjectNode rootCa = seeded.object("v1", "ConfigMap", name, "kube-root-ca.crt");
            strings(rootCa, "data", "ca.crt", "-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n");
            store.put(rootCa);
            ObjectNode role = seeded.object("rbac.authorization.k8s.io/v1", "Role", name, "reader");
            ObjectNode rule = role.putArray("rules").addObject();
            Seeded.array(rule, "apiGroups", "");
            Seeded.array(rule, "resources", "pods", "configmaps");
            Seeded.array(rule, "verbs", "get", "list", "watch");
            store.put(role);
            ObjectNode binding = seeded.object("rbac.authorization.k8s.io/v1", "RoleBinding", name, "reader");
            ObjectNode roleRef = binding.putObject("roleRef");
            roleRef.put("apiGroup", "rbac.authorization.k8s.io");
            roleRef.put("kind", "Role");
            roleRef.put("name", "reader");
            ObjectNode subject = binding.putArray("subjects").addObject();
            subject.put("kind", "ServiceAccount");
            subject.put("name", "default");
            subject.put("namespace", name);
            store.put(binding);
            ObjectNode policy = seeded.object("networking.k8s.io/v1", "NetworkPolicy", name, "default-deny");
            ObjectNode policySpec = policy.putObject("spec");
            policySpec.putObject("podSelector");
            Seeded.array(policySpec, "policyTypes", "Ingress");
            store.put(policy);
            ObjectNode event = seeded.object("v1", "Event", name, name + "." + seeded.hash(16));
            ObjectNode involved = event.putObject("involvedObject");
            involved.put("kind", "Namespace");
            involved.put("name", name);
            event.put("reason", "Created");
            event.put("message", "Namespace " + name + " created");
            event.put("type", "Normal");
            event.put("count", 1);
            store.put(event);
            store.put(newEvent(event));
        }

        /** The same event as events.k8s.io/v1 serves it: the same object, another shape. */
        private static ObjectNode newEvent(ObjectNode coreEvent) {
            ObjectNode event = Json.MAPPER.createObjectNode();
            event.put("apiVersion", "events.k8s.io/v1");
            event.put("kind", "Event");
            event.set("metadata", coreEvent.get("metadata").deepCopy());
            event.set("regarding", coreEvent.get("involvedObject").deepCopy());
            event.put("reason", coreEvent.get("reason").asString());
            event.put("note", coreEvent.get("message").asString());
            event.put("type", coreEvent.get("type").asString());
            event.put("deprecatedCount", 1);
            return event;
        }

        List<String> nodes(int count) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = "node-" + i;
                names.add(name);
                ObjectNode node = seeded.object("v1", "Node", null, name);
                strings(metadata(node), "labels", "kubernetes.io/hostname", name, "kubernetes.io/os", "linux",
                        "topology.kubernetes.io/zone", "zone-" + (char) ('a' + i % 3),
                        "node.kubernetes.io/instance-type", "m6i.xlarge");
                ObjectNode nodeSpec = node.putObject("spec");
                nodeSpec.put("podCIDR", "10.244." + i + ".0/24");
                nodeSpec.put("providerID", "aws:///eu-west-1a/i-" + seeded.hash(17));
                ObjectNode status = node.putObject("status");
                strings(status, "capacity", "cpu", "4", "memory", "16Gi", "pods", "110");
                strings(status, "allocatable", "cpu", "3920m", "memory", "15Gi", "pods", "110");
                ObjectNode ready = status.putArray("conditions").addObject();
                ready.put("type", "Ready");
                ready.put("status", "True");
                ready.put("reason", "KubeletReady");
                ObjectNode address = status.putArray("addresses").addObject();
                address.put("type", "InternalIP");
                address.put("address", "172.18.0." + (2 + i % 250));
                ObjectNode info = status.putObject("nodeInfo");
                info.put("kubeletVersion", "v1.35.0");
                info.put("containerRuntimeVersion", "containerd://2.1.4");
                info.put("osImage", "Debian GNU/Linux 12 (bookworm)");
                info.put("architecture", "amd64");
                store.put(node);
                ObjectNode lease = seeded.object("coordination.k8s.io/v1", "Lease", "kube-node-lease", name);
                ObjectNode leaseSpec = lease.putObject("spec");
                leaseSpec.put("holderIdentity", name);
                leaseSpec.put("leaseDurationSeconds", 40);
                leaseSpec.put("renewTime", "2026-01-05T08:00:00.000000Z");
                store.put(lease);
            }
            return names;
        }

        void clusterWide() {
            for (String[] pc : new String[][] {{"system-cluster-critical", "2000000000"},
                    {"system-node-critical", "2000001000"}, {"high-priority", "1000000"}}) {
                ObjectNode priority = seeded.object("scheduling.k8s.io/v1", "PriorityClass", null, pc[0]);
                priority.put("value", Integer.parseInt(pc[1]));
                priority.put("preemptionPolicy", "PreemptLowerPriority");
                store.put(priority);
            }
            ObjectNode storageClass = seeded.object("storage.k8s.io/v1", "StorageClass", null, "standard");
            strings(metadata(storageClass), "annotations", "storageclass.kubernetes.io/is-default-class", "true");
            storageClass.put("provisioner", "rancher.io/local-path");
            storageClass.put("reclaimPolicy", "Delete");
            storageClass.put("volumeBindingMode", "WaitForFirstConsumer");
            store.put(storageClass);
            ObjectNode ingressClass = seeded.object("networking.k8s.io/v1", "IngressClass", null, "nginx");
            ingressClass.putObject("spec").put("controller", "k8s.io/ingress-nginx");
            store.put(ingressClass);
            for (String name : List.of("cluster-admin", "admin", "edit", "view")) {
                ObjectNode role = seeded.object("rbac.authorization.k8s.io/v1", "ClusterRole", null, name);
                ObjectNode rule = role.putArray("rules").addObject();
                Seeded.array(rule, "apiGroups", "*");
                Seeded.array(rule, "resources", "*");
                Seeded.array(rule, "verbs", name.equals("view") ? "get" : "*");
                store.put(role);
            }
            ObjectNode binding = seeded.object("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", null,
                    "k8s-collector");
            ObjectNode roleRef = binding.putObject("roleRef");
            roleRef.put("apiGroup", "rbac.authorization.k8s.io");
            roleRef.put("kind", "ClusterRole");
            roleRef.put("name", "view");
            store.put(binding);
            for (String name : List.of("v1.", "v1.apps", "v1.batch", "v1beta1.metrics.k8s.io")) {
                ObjectNode service = seeded.object("apiregistration.k8s.io/v1", "APIService", null, name);
                ObjectNode serviceSpec = service.putObject("spec");
                String groupVersion = name.substring(name.indexOf('.') + 1);
                serviceSpec.put("group", groupVersion);
                serviceSpec.put("version", name.substring(0, name.indexOf('.')));
                if (name.contains("metrics")) {
                    ObjectNode ref = serviceSpec.putObject("service");
                    ref.put("namespace", "kube-system");
                    ref.put("name", "metrics-server");
                    ref.put("port", 443);
                }
                serviceSpec.put("groupPriorityMinimum", 1000);
                serviceSpec.put("versionPriority", 15);
                store.put(service);
            }
            for (String name : List.of("exempt", "workload-high", "global-default")) {
                ObjectNode level = seeded.object("flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfiguration",
                        null, name);
                level.putObject("spec").put("type", name.equals("exempt") ? "Exempt" : "Limited");
                store.put(level);
                ObjectNode schema = seeded.object("flowcontrol.apiserver.k8s.io/v1", "FlowSchema", null, name);
                ObjectNode schemaSpec = schema.putObject("spec");
                schemaSpec.putObject("priorityLevelConfiguration").put("name", name);
                schemaSpec.put("matchingPrecedence", 1000);
                store.put(schema);
            }
            ObjectNode controller = seeded.object("coordination.k8s.io/v1", "Lease", "kube-system",
                    "kube-controller-manager");
            controller.putObject("spec").put("holderIdentity", "control-plane_" + seeded.uid());
            store.put(controller);
        }
    }
}
