package io.k8scollector.testkit.generator;

import static io.k8scollector.testkit.generator.Seeded.metadata;
import static io.k8scollector.testkit.generator.Seeded.strings;

import io.k8scollector.testkit.store.ObjectStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Controllers and the pods they own, with the real ownership chain (Deployment > ReplicaSet > Pod,
 * StatefulSet > Pod with its PVCs bound to PVs, DaemonSet > Pod, CronJob > Job > Pod), and for each
 * served workload its Service, Endpoints and EndpointSlice.
 */
final class Workloads {

    private final Seeded seeded;
    private final Pods pods;
    private final ObjectStore store;

    Workloads(Seeded seeded, Pods pods, ObjectStore store) {
        this.seeded = seeded;
        this.pods = pods;
        this.store = store;
    }

    /** A Deployment with its current ReplicaSet of {@code replicas} pods and an older one scaled to 0. */
    void deployment(String namespace, String app, int replicas) {
        ObjectNode template = pods.template(app, pods.image(), "app", app, "tier", "backend");
        ObjectNode deployment = seeded.object("apps/v1", "Deployment", namespace, app);
        strings(metadata(deployment), "labels", "app", app, "app.kubernetes.io/managed-by", "Helm");
        strings(metadata(deployment), "annotations", "deployment.kubernetes.io/revision", "2",
                "kubectl.kubernetes.io/last-applied-configuration",
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"" + app + "\"}}");
        ObjectNode spec = deployment.putObject("spec");
        spec.put("replicas", replicas);
        selector(spec, app);
        spec.set("template", template);
        spec.putObject("strategy").put("type", "RollingUpdate");
        spec.put("revisionHistoryLimit", 10);
        ObjectNode status = deployment.putObject("status");
        status.put("observedGeneration", 2);
        status.put("replicas", replicas);
        status.put("updatedReplicas", replicas);
        status.put("readyReplicas", replicas);
        status.put("availableReplicas", replicas);
        store.put(deployment);
        replicaSet(namespace, app, deployment, template, 0);
        ObjectNode current = replicaSet(namespace, app, deployment, template, replicas);
        String hash = metadata(current).get("labels").get("pod-template-hash").asString();
        List<PodRef> owned = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            ObjectNode pod = pods.pod(namespace, Seeded.name(current) + "-" + seeded.hash(5), template, current,
                    "pod-template-hash", hash);
            store.put(pod);
            owned.add(Pods.ref(pod));
        }
        service(namespace, app, owned, false);
        config(namespace, app);
    }

    /** A StatefulSet of {@code replicas} pods, each with a PVC from its claim template bound to a PV. */
    void statefulSet(String namespace, String app, int replicas) {
        ObjectNode template = pods.template(app, pods.image(), "app", app, "tier", "data");
        ObjectNode sts = seeded.object("apps/v1", "StatefulSet", namespace, app);
        strings(metadata(sts), "labels", "app", app);
        ObjectNode spec = sts.putObject("spec");
        spec.put("replicas", replicas);
        selector(spec, app);
        spec.set("template", template);
        spec.put("serviceName", app);
        ObjectNode claim = spec.putArray("volumeClaimTemplates").addObject();
        claim.put("apiVersion", "v1");
        claim.put("kind", "PersistentVolumeClaim");
        claim.putObject("metadata").put("name", "data");
        claimSpec(claim.putObject("spec"));
        ObjectNode status = sts.putObject("status");
        status.put("replicas", replicas);
        status.put("readyReplicas", replicas);
        status.put("currentRevision", app + "-" + seeded.hash(10));
        store.put(sts);
        revision(namespace, app, sts);
        List<PodRef> owned = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            ObjectNode pod = pods.pod(namespace, app + "-" + i, template, sts,
                    "statefulset.kubernetes.io/pod-name", app + "-" + i);
            store.put(pod);
            owned.add(Pods.ref(pod));
            volume(namespace, "data-" + app + "-" + i);
        }
        service(namespace, app, owned, true);
    }

    /** A DaemonSet with one pod on each of {@code nodes}. */
    void daemonSet(String namespace, String app, int count) {
        ObjectNode template = pods.template(app, pods.image(), "app", app, "tier", "node");
        ObjectNode ds = seeded.object("apps/v1", "DaemonSet", namespace, app);
        ObjectNode spec = ds.putObject("spec");
        selector(spec, app);
        spec.set("template", template);
        spec.putObject("updateStrategy").put("type", "RollingUpdate");
        ObjectNode status = ds.putObject("status");
        status.put("currentNumberScheduled", count);
        status.put("desiredNumberScheduled", count);
        status.put("numberReady", count);
        store.put(ds);
        revision(namespace, app, ds);
        // Thousands of pods share this prefix on a large cluster: five random characters collide.
        Set<String> names = new HashSet<>();
        while (names.size() < count) {
            String name = app + "-" + seeded.hash(5);
            if (names.add(name)) {
                store.put(pods.pod(namespace, name, template, ds));
            }
        }
    }

    /** A CronJob owning {@code jobs} Jobs, each with one pod. */
    void cronJob(String namespace, String app, int jobs) {
        ObjectNode template = pods.template(app, pods.image(), "app", app);
        ((ObjectNode) template.get("spec")).put("restartPolicy", "OnFailure");
        ObjectNode cron = seeded.object("batch/v1", "CronJob", namespace, app);
        ObjectNode spec = cron.putObject("spec");
        spec.put("schedule", "*/15 * * * *");
        spec.put("concurrencyPolicy", "Forbid");
        spec.putObject("jobTemplate").putObject("spec").set("template", template);
        cron.putObject("status").put("lastScheduleTime", seeded.timestamp());
        store.put(cron);
        for (int i = 0; i < jobs; i++) {
            ObjectNode job = seeded.object("batch/v1", "Job", namespace, app + "-" + (29400000 + i * 15));
            Seeded.ownedBy(job, cron);
            String controllerUid = Seeded.uid(job);
            strings(metadata(job), "labels", "batch.kubernetes.io/controller-uid", controllerUid,
                    "batch.kubernetes.io/job-name", Seeded.name(job));
            ObjectNode jobSpec = job.putObject("spec");
            jobSpec.put("completions", 1);
            jobSpec.put("parallelism", 1);
            jobSpec.put("backoffLimit", 6);
            jobSpec.set("template", template);
            ObjectNode status = job.putObject("status");
            status.put("succeeded", 1);
            status.put("startTime", seeded.timestamp());
            status.put("completionTime", seeded.timestamp());
            store.put(job);
            store.put(pods.pod(namespace, Seeded.name(job) + "-" + seeded.hash(5), template, job,
                    "batch.kubernetes.io/job-name", Seeded.name(job)));
        }
    }

    /**
     * What exposes and protects a Deployment: an Ingress to its Service, a HorizontalPodAutoscaler and
     * a PodDisruptionBudget.
     */
    void expose(String namespace, String app) {
        ObjectNode ingress = seeded.object("networking.k8s.io/v1", "Ingress", namespace, app);
        ObjectNode spec = ingress.putObject("spec");
        spec.put("ingressClassName", "nginx");
        ObjectNode rule = spec.putArray("rules").addObject();
        rule.put("host", app + "." + namespace + ".example.com");
        ObjectNode path = rule.putObject("http").putArray("paths").addObject();
        path.put("path", "/");
        path.put("pathType", "Prefix");
        ObjectNode backend = path.putObject("backend").putObject("service");
        backend.put("name", app);
        backend.putObject("port").put("number", 80);
        ingress.putObject("status").putObject("loadBalancer").putArray("ingress").addObject()
                .put("ip", "172.18.255." + seeded.between(1, 254));
        store.put(ingress);

        ObjectNode autoscaler = seeded.object("autoscaling/v2", "HorizontalPodAutoscaler", namespace, app);
        ObjectNode scaling = autoscaler.putObject("spec");
        ObjectNode target = scaling.putObject("scaleTargetRef");
        target.put("apiVersion", "apps/v1");
        target.put("kind", "Deployment");
        target.put("name", app);
        scaling.put("minReplicas", 2);
        scaling.put("maxReplicas", 20);
        ObjectNode metric = scaling.putArray("metrics").addObject();
        metric.put("type", "Resource");
        ObjectNode resource = metric.putObject("resource");
        resource.put("name", "cpu");
        ObjectNode utilization = resource.putObject("target");
        utilization.put("type", "Utilization");
        utilization.put("averageUtilization", 70);
        autoscaler.putObject("status").put("currentReplicas", 2);
        store.put(autoscaler);

        ObjectNode budget = seeded.object("policy/v1", "PodDisruptionBudget", namespace, app);
        ObjectNode budgetSpec = budget.putObject("spec");
        budgetSpec.put("minAvailable", 1);
        selector(budgetSpec, app);
        budget.putObject("status").put("disruptionsAllowed", 1);
        store.put(budget);
    }

    private ObjectNode replicaSet(String namespace, String app, ObjectNode deployment, ObjectNode template,
            int replicas) {
        String hash = seeded.hash(10);
        ObjectNode rs = seeded.object("apps/v1", "ReplicaSet", namespace, app + "-" + hash);
        strings(metadata(rs), "labels", "app", app, "pod-template-hash", hash);
        Seeded.ownedBy(rs, deployment);
        ObjectNode spec = rs.putObject("spec");
        spec.put("replicas", replicas);
        selector(spec, app).put("pod-template-hash", hash);
        spec.set("template", template);
        ObjectNode status = rs.putObject("status");
        status.put("replicas", replicas);
        status.put("readyReplicas", replicas);
        status.put("availableReplicas", replicas);
        store.put(rs);
        return rs;
    }

    private void revision(String namespace, String app, ObjectNode owner) {
        ObjectNode revision = seeded.object("apps/v1", "ControllerRevision", namespace, app + "-" + seeded.hash(10));
        Seeded.ownedBy(revision, owner);
        revision.put("revision", 1);
        revision.putObject("data").putObject("spec").putObject("template").put("$patch", "replace");
        store.put(revision);
    }

    private void volume(String namespace, String claimName) {
        String volumeName = "pvc-" + seeded.uid();
        ObjectNode claim = seeded.object("v1", "PersistentVolumeClaim", namespace, claimName);
        ObjectNode spec = claimSpec(claim.putObject("spec"));
        spec.put("volumeName", volumeName);
        spec.put("storageClassName", "standard");
        ObjectNode status = claim.putObject("status");
        status.put("phase", "Bound");
        strings(status, "capacity", "storage", "10Gi");
        store.put(claim);
        ObjectNode volume = seeded.object("v1", "PersistentVolume", null, volumeName);
        ObjectNode volumeSpec = volume.putObject("spec");
        strings(volumeSpec, "capacity", "storage", "10Gi");
        Seeded.array(volumeSpec, "accessModes", "ReadWriteOnce");
        ObjectNode claimRef = volumeSpec.putObject("claimRef");
        claimRef.put("kind", "PersistentVolumeClaim");
        claimRef.put("namespace", namespace);
        claimRef.put("name", claimName);
        claimRef.put("uid", Seeded.uid(claim));
        volumeSpec.put("persistentVolumeReclaimPolicy", "Delete");
        volumeSpec.put("storageClassName", "standard");
        volumeSpec.putObject("hostPath").put("path", "/var/lib/volumes/" + volumeName);
        volume.putObject("status").put("phase", "Bound");
        store.put(volume);
    }

    private void service(String namespace, String app, List<PodRef> owned, boolean headless) {
        ObjectNode service = seeded.object("v1", "Service", namespace, app);
        strings(metadata(service), "labels", "app", app);
        ObjectNode spec = service.putObject("spec");
        strings(spec, "selector", "app", app);
        ObjectNode port = spec.putArray("ports").addObject();
        port.put("name", "http");
        port.put("protocol", "TCP");
        port.put("port", 80);
        port.put("targetPort", "http");
        String clusterIp = headless ? "None" : "10.96." + seeded.between(0, 255) + "." + seeded.between(1, 254);
        spec.put("clusterIP", clusterIp);
        Seeded.array(spec, "clusterIPs", clusterIp);
        spec.put("type", "ClusterIP");
        spec.put("sessionAffinity", "None");
        service.putObject("status").putObject("loadBalancer");
        store.put(service);

        ObjectNode endpoints = seeded.object("v1", "Endpoints", namespace, app);
        strings(metadata(endpoints), "labels", "app", app);
        ObjectNode subset = endpoints.putArray("subsets").addObject();
        ArrayNode addresses = subset.putArray("addresses");
        ObjectNode slice = seeded.object("discovery.k8s.io/v1", "EndpointSlice", namespace, app + "-" + seeded.hash(5));
        strings(metadata(slice), "labels", "kubernetes.io/service-name", app,
                "endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
        Seeded.ownedBy(slice, service);
        slice.put("addressType", "IPv4");
        ArrayNode sliceEndpoints = slice.putArray("endpoints");
        for (PodRef pod : owned) {
            ObjectNode address = addresses.addObject();
            address.put("ip", pod.ip());
            address.put("nodeName", pod.node());
            target(address.putObject("targetRef"), namespace, pod);
            ObjectNode endpoint = sliceEndpoints.addObject();
            Seeded.array(endpoint, "addresses", pod.ip());
            endpoint.putObject("conditions").put("ready", true);
            endpoint.put("nodeName", pod.node());
            target(endpoint.putObject("targetRef"), namespace, pod);
        }
        ObjectNode endpointPort = subset.putArray("ports").addObject();
        endpointPort.put("name", "http");
        endpointPort.put("port", 8080);
        endpointPort.put("protocol", "TCP");
        slice.putArray("ports").add(endpointPort.deepCopy());
        store.put(endpoints);
        store.put(slice);
    }

    private void config(String namespace, String app) {
        ObjectNode config = seeded.object("v1", "ConfigMap", namespace, app + "-config");
        strings(config, "data", "app.properties", "port=8080\nlog.level=info\n", "feature.flags", "search,checkout");
        store.put(config);
        ObjectNode credentials = seeded.object("v1", "Secret", namespace, app + "-credentials");
        credentials.put("type", "Opaque");
        strings(credentials, "data", "username", Seeded.base64(app), "password", Seeded.base64(seeded.fakeSecret()));
        store.put(credentials);
        ObjectNode account = seeded.object("v1", "ServiceAccount", namespace, app);
        store.put(account);
    }

    private static ObjectNode selector(ObjectNode spec, String app) {
        return strings(spec.putObject("selector"), "matchLabels", "app", app);
    }

    private static ObjectNode claimSpec(ObjectNode spec) {
        Seeded.array(spec, "accessModes", "ReadWriteOnce");
        strings(spec.putObject("resources"), "requests", "storage", "10Gi");
        return spec;
    }

    private static void target(ObjectNode ref, String namespace, PodRef pod) {
        ref.put("kind", "Pod");
        ref.put("namespace", namespace);
        ref.put("name", pod.name());
        ref.put("uid", pod.uid());
    }
}
