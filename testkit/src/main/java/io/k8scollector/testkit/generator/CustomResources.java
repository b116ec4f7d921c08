package io.k8scollector.testkit.generator;

import static io.k8scollector.testkit.generator.Seeded.metadata;
import static io.k8scollector.testkit.generator.Seeded.strings;

import io.k8scollector.testkit.store.ObjectStore;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * CustomResourceDefinitions and their objects: {@code example.com} widgets (served in v1, preferred,
 * and v1beta1, with status and scale subresources) and gadgets (only v1beta1), and Argo CD's
 * {@code argoproj.io/v1alpha1} applications, rollouts and analysis templates.
 */
final class CustomResources {

    private final Seeded seeded;
    private final ObjectStore store;

    CustomResources(Seeded seeded, ObjectStore store) {
        this.seeded = seeded;
        this.store = store;
    }

    void definitionsAndObjects(List<String> namespaces) {
        definition("example.com", "widgets", "Widget", List.of("v1", "v1beta1"), true, "wd");
        definition("example.com", "gadgets", "Gadget", List.of("v1beta1"), false, "gd");
        definition("argoproj.io", "applications", "Application", List.of("v1alpha1"), false, "app");
        definition("argoproj.io", "rollouts", "Rollout", List.of("v1alpha1"), true, "ro");
        definition("argoproj.io", "analysistemplates", "AnalysisTemplate", List.of("v1alpha1"), false);
        for (String namespace : namespaces) {
            for (int i = 0; i < 3; i++) {
                ObjectNode widget = seeded.object("example.com/v1", "Widget", namespace, "widget-" + i);
                ObjectNode spec = widget.putObject("spec");
                spec.put("replicas", seeded.between(1, 5));
                spec.put("color", seeded.pick(List.of("red", "green", "blue")));
                widget.putObject("status").put("replicas", spec.get("replicas").asInt());
                store.put(widget);
            }
            ObjectNode gadget = seeded.object("example.com/v1beta1", "Gadget", namespace, "gadget-0");
            gadget.putObject("spec").put("size", "large");
            store.put(gadget);
        }
        application("shop-frontend", namespaces.get(0));
        application("payments-api", namespaces.get(namespaces.size() > 1 ? 1 : 0));
        ObjectNode rollout = seeded.object("argoproj.io/v1alpha1", "Rollout", namespaces.get(0), "canary-web");
        ObjectNode rolloutSpec = rollout.putObject("spec");
        rolloutSpec.put("replicas", 2);
        ArrayNode steps = rolloutSpec.putObject("strategy").putObject("canary").putArray("steps");
        steps.addObject().put("setWeight", 20);
        steps.addObject().putObject("pause").put("duration", "10m");
        rollout.putObject("status").put("phase", "Healthy");
        store.put(rollout);
        ObjectNode analysis = seeded.object("argoproj.io/v1alpha1", "AnalysisTemplate", namespaces.get(0),
                "success-rate");
        ObjectNode metric = analysis.putObject("spec").putArray("metrics").addObject();
        metric.put("name", "success-rate");
        metric.put("successCondition", "result[0] >= 0.95");
        store.put(analysis);
    }

    private void definition(String group, String plural, String kind, List<String> versions, boolean scalable,
            String... shortNames) {
        String singular = kind.toLowerCase(java.util.Locale.ROOT);
        ObjectNode crd = seeded.object("apiextensions.k8s.io/v1", "CustomResourceDefinition", null,
                plural + "." + group);
        ObjectNode spec = crd.putObject("spec");
        spec.put("group", group);
        ObjectNode names = spec.putObject("names");
        names.put("plural", plural);
        names.put("singular", singular);
        names.put("kind", kind);
        names.put("listKind", kind + "List");
        Seeded.array(names, "shortNames", shortNames);
        spec.put("scope", "Namespaced");
        ArrayNode versionList = spec.putArray("versions");
        for (String name : versions) {
            ObjectNode version = versionList.addObject();
            version.put("name", name);
            version.put("served", true);
            version.put("storage", name.equals(versions.get(0)));
            ObjectNode schema = version.putObject("schema").putObject("openAPIV3Schema");
            schema.put("type", "object");
            schema.put("x-kubernetes-preserve-unknown-fields", true);
            ObjectNode subresources = version.putObject("subresources");
            subresources.putObject("status");
            if (scalable) {
                ObjectNode scale = subresources.putObject("scale");
                scale.put("specReplicasPath", ".spec.replicas");
                scale.put("statusReplicasPath", ".status.replicas");
            }
        }
        spec.putObject("conversion").put("strategy", "None");
        ObjectNode status = crd.putObject("status");
        status.set("acceptedNames", names.deepCopy());
        Seeded.array(status, "storedVersions", versions.get(0));
        ObjectNode established = status.putArray("conditions").addObject();
        established.put("type", "Established");
        established.put("status", "True");
        established.put("reason", "InitialNamesAccepted");
        store.put(crd);
    }

    private void application(String name, String destination) {
        ObjectNode app = seeded.object("argoproj.io/v1alpha1", "Application", "argocd", name);
        strings(metadata(app), "labels", "app.kubernetes.io/part-of", "argocd");
        ObjectNode spec = app.putObject("spec");
        spec.put("project", "default");
        ObjectNode source = spec.putObject("source");
        source.put("repoURL", "https://charts.example.com");
        source.put("chart", name);
        source.put("targetRevision", "1.4.2");
        source.putObject("helm").put("values", "replicaCount: 2\nimage:\n  tag: 2.14.0\n");
        ObjectNode target = spec.putObject("destination");
        target.put("server", "https://kubernetes.default.svc");
        target.put("namespace", destination);
        spec.putObject("syncPolicy").putObject("automated").put("prune", true);
        ObjectNode status = app.putObject("status");
        status.put("sourceType", "Helm");
        ObjectNode sync = status.putObject("sync");
        sync.put("status", "Synced");
        sync.put("revision", "1.4.2");
        status.putObject("health").put("status", "Healthy");
        ObjectNode history = status.putArray("history").addObject();
        history.put("id", 0);
        history.put("revision", "1.4.2");
        history.put("deployedAt", seeded.timestamp());
        history.set("source", source.deepCopy());
        ArrayNode resources = status.putArray("resources");
        for (String[] resource : new String[][] {{"apps", "Deployment"}, {"", "Service"}}) {
            ObjectNode entry = resources.addObject();
            entry.put("group", resource[0]);
            entry.put("version", "v1");
            entry.put("kind", resource[1]);
            entry.put("namespace", destination);
            entry.put("name", name);
            entry.put("status", "Synced");
            entry.putObject("health").put("status", "Healthy");
        }
        store.put(app);
    }
}
