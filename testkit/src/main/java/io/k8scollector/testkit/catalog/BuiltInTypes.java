package io.k8scollector.testkit.catalog;

import io.k8scollector.testkit.catalog.ApiResource.Subresource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The groups and resource types a Kubernetes 1.35 API server serves out of the box, with the
 * aggregated {@code metrics.k8s.io} of metrics-server, in the order discovery lists them.
 */
final class BuiltInTypes {

    /** Built-in groups (not the core group) and their versions, preferred first. */
    static final Map<String, List<String>> GROUPS = groups();

    /** The name of the aggregated metrics group, served last like any aggregated API. */
    static final String METRICS = "metrics.k8s.io";

    private static final List<String> CREATE = List.of("create");
    private static final List<String> READ = List.of("get", "list");

    private BuiltInTypes() {}

    private static Map<String, List<String>> groups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put("apiregistration.k8s.io", List.of("v1"));
        groups.put("apps", List.of("v1"));
        groups.put("events.k8s.io", List.of("v1"));
        groups.put("authentication.k8s.io", List.of("v1"));
        groups.put("authorization.k8s.io", List.of("v1"));
        groups.put("autoscaling", List.of("v2", "v1"));
        groups.put("batch", List.of("v1"));
        groups.put("networking.k8s.io", List.of("v1"));
        groups.put("policy", List.of("v1"));
        groups.put("rbac.authorization.k8s.io", List.of("v1"));
        groups.put("storage.k8s.io", List.of("v1"));
        groups.put("apiextensions.k8s.io", List.of("v1"));
        groups.put("scheduling.k8s.io", List.of("v1"));
        groups.put("coordination.k8s.io", List.of("v1"));
        groups.put("discovery.k8s.io", List.of("v1"));
        groups.put("flowcontrol.apiserver.k8s.io", List.of("v1"));
        groups.put(METRICS, List.of("v1beta1"));
        return Collections.unmodifiableMap(groups);
    }

    /** Every built-in type. */
    static List<ApiResource> types() {
        List<ApiResource> all = new ArrayList<>();
        core(all);
        String apps = "apps";
        all.add(type(apps, "controllerrevisions", "ControllerRevision").build());
        all.add(type(apps, "daemonsets", "DaemonSet").shortNames("ds").all().status().build());
        all.add(type(apps, "deployments", "Deployment").shortNames("deploy").all().status().scale().build());
        all.add(type(apps, "replicasets", "ReplicaSet").shortNames("rs").all().status().scale().build());
        all.add(type(apps, "statefulsets", "StatefulSet").shortNames("sts").all().status().scale().build());
        all.add(type("events.k8s.io", "events", "Event").shortNames("ev").build());
        all.add(type("authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview").cluster().verbs(CREATE).build());
        all.add(type("authentication.k8s.io", "tokenreviews", "TokenReview").cluster().verbs(CREATE).build());
        String authz = "authorization.k8s.io";
        all.add(type(authz, "localsubjectaccessreviews", "LocalSubjectAccessReview").verbs(CREATE).build());
        all.add(type(authz, "selfsubjectaccessreviews", "SelfSubjectAccessReview").cluster().verbs(CREATE).build());
        all.add(type(authz, "selfsubjectrulesreviews", "SelfSubjectRulesReview").cluster().verbs(CREATE).build());
        all.add(type(authz, "subjectaccessreviews", "SubjectAccessReview").cluster().verbs(CREATE).build());
        all.add(type("autoscaling", "horizontalpodautoscalers", "HorizontalPodAutoscaler").shortNames("hpa").all()
                .status().build());
        all.add(type("batch", "cronjobs", "CronJob").shortNames("cj").all().status().build());
        all.add(type("batch", "jobs", "Job").all().status().build());
        String net = "networking.k8s.io";
        all.add(type(net, "ingressclasses", "IngressClass").cluster().build());
        all.add(type(net, "ingresses", "Ingress").shortNames("ing").status().build());
        all.add(type(net, "networkpolicies", "NetworkPolicy").shortNames("netpol").build());
        all.add(type("policy", "poddisruptionbudgets", "PodDisruptionBudget").shortNames("pdb").status().build());
        String rbac = "rbac.authorization.k8s.io";
        all.add(type(rbac, "clusterrolebindings", "ClusterRoleBinding").cluster().build());
        all.add(type(rbac, "clusterroles", "ClusterRole").cluster().build());
        all.add(type(rbac, "rolebindings", "RoleBinding").build());
        all.add(type(rbac, "roles", "Role").build());
        String storage = "storage.k8s.io";
        all.add(type(storage, "csidrivers", "CSIDriver").cluster().build());
        all.add(type(storage, "csinodes", "CSINode").cluster().build());
        all.add(type(storage, "storageclasses", "StorageClass").cluster().shortNames("sc").build());
        all.add(type(storage, "volumeattachments", "VolumeAttachment").cluster().status().build());
        all.add(type("apiextensions.k8s.io", "customresourcedefinitions", "CustomResourceDefinition").cluster()
                .shortNames("crd", "crds").categories("api-extensions").status().build());
        all.add(type("apiregistration.k8s.io", "apiservices", "APIService").cluster().categories("api-extensions")
                .status().build());
        all.add(type("scheduling.k8s.io", "priorityclasses", "PriorityClass").cluster().shortNames("pc").build());
        all.add(type("coordination.k8s.io", "leases", "Lease").build());
        all.add(type("discovery.k8s.io", "endpointslices", "EndpointSlice").build());
        String flow = "flowcontrol.apiserver.k8s.io";
        all.add(type(flow, "flowschemas", "FlowSchema").cluster().status().build());
        all.add(type(flow, "prioritylevelconfigurations", "PriorityLevelConfiguration").cluster().status().build());
        all.add(type(METRICS, "nodes", "NodeMetrics").cluster().verbs(READ).build());
        all.add(type(METRICS, "pods", "PodMetrics").verbs(READ).build());
        return List.copyOf(all);
    }

    private static void core(List<ApiResource> all) {
        all.add(type("", "bindings", "Binding").verbs(CREATE).build());
        all.add(type("", "componentstatuses", "ComponentStatus").cluster().verbs(READ).shortNames("cs").build());
        all.add(type("", "configmaps", "ConfigMap").shortNames("cm").build());
        all.add(type("", "endpoints", "Endpoints").shortNames("ep").build());
        all.add(type("", "events", "Event").shortNames("ev").build());
        all.add(type("", "limitranges", "LimitRange").shortNames("limits").build());
        all.add(type("", "namespaces", "Namespace").cluster().shortNames("ns").status()
                .sub(new Subresource("finalize", "Namespace", "", "", List.of("update"))).build());
        all.add(type("", "nodes", "Node").cluster().shortNames("no").status()
                .sub(new Subresource("proxy", "NodeProxyOptions", "", "", proxyVerbs())).build());
        all.add(type("", "persistentvolumeclaims", "PersistentVolumeClaim").shortNames("pvc").status().build());
        all.add(type("", "persistentvolumes", "PersistentVolume").cluster().shortNames("pv").status().build());
        all.add(type("", "pods", "Pod").shortNames("po").all()
                .sub(new Subresource("attach", "PodAttachOptions", "", "", List.of("create", "get")))
                .sub(new Subresource("binding", "Binding", "", "", CREATE))
                .sub(new Subresource("ephemeralcontainers", "Pod", "", "", List.of("get", "patch", "update")))
                .sub(new Subresource("eviction", "Eviction", "policy", "v1", CREATE))
                .sub(new Subresource("exec", "PodExecOptions", "", "", List.of("create", "get")))
                .sub(new Subresource("log", "Pod", "", "", List.of("get")))
                .sub(new Subresource("portforward", "PodPortForwardOptions", "", "", List.of("create", "get")))
                .sub(new Subresource("proxy", "PodProxyOptions", "", "", proxyVerbs()))
                .sub(new Subresource("resize", "Pod", "", "", List.of("get", "patch", "update")))
                .status().build());
        all.add(type("", "podtemplates", "PodTemplate").build());
        all.add(type("", "replicationcontrollers", "ReplicationController").shortNames("rc").all().status().scale()
                .build());
        all.add(type("", "resourcequotas", "ResourceQuota").shortNames("quota").status().build());
        all.add(type("", "secrets", "Secret").build());
        all.add(type("", "serviceaccounts", "ServiceAccount").shortNames("sa")
                .sub(new Subresource("token", "TokenRequest", "authentication.k8s.io", "v1", CREATE)).build());
        all.add(type("", "services", "Service").shortNames("svc").all()
                .sub(new Subresource("proxy", "ServiceProxyOptions", "", "", proxyVerbs())).status().build());
    }

    private static List<String> proxyVerbs() {
        return List.of("create", "delete", "get", "patch", "update");
    }

    private static Builder type(String group, String name, String kind) {
        return new Builder(group, name, kind);
    }

    /** Collects one type's attributes; versions are the group's. */
    private static final class Builder {
        private final String group;
        private final String name;
        private final String kind;
        private boolean namespaced = true;
        private List<String> verbs = ApiResource.STORED_VERBS;
        private List<String> shortNames = List.of();
        private List<String> categories = List.of();
        private final List<Subresource> subresources = new ArrayList<>();

        Builder(String group, String name, String kind) {
            this.group = group;
            this.name = name;
            this.kind = kind;
        }

        Builder cluster() {
            namespaced = false;
            return this;
        }

        Builder verbs(List<String> value) {
            verbs = value;
            return this;
        }

        Builder shortNames(String... value) {
            shortNames = List.of(value);
            return this;
        }

        Builder categories(String... value) {
            categories = List.of(value);
            return this;
        }

        Builder all() {
            return categories("all");
        }

        Builder status() {
            return sub(Subresource.status(kind));
        }

        Builder scale() {
            return sub(Subresource.scale());
        }

        Builder sub(Subresource subresource) {
            subresources.add(subresource);
            return this;
        }

        ApiResource build() {
            List<String> versions = group.isEmpty() ? List.of("v1") : GROUPS.get(group);
            String singular = kind.toLowerCase(Locale.ROOT);
            return new ApiResource(group, versions, name, singular, kind, namespaced, verbs, shortNames, categories,
                    subresources, false);
        }
    }
}
