package io.k8scollector.receiver.query;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.TreeNode;
import io.k8scollector.receiver.store.ClusterView;
import io.k8scollector.receiver.store.InventoryViews;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The container images in use: derived from the Pod bodies of each cluster's current snapshot
 * (containers, initContainers and ephemeralContainers, the debug containers that {@code kubectl
 * debug} adds to a running Pod), each Pod counted under its workload, the root of its
 * ownership tree. A cluster's images are derived once and kept under the cluster's {@link
 * InventoryViews#contentSeq}, which only a commit that stores or deletes something moves (not a
 * heartbeat every few seconds). When it moves, the Pods that changed since are compared first
 * ({@link InventoryViews#unchangedSince}): a change that leaves every Pod's images, image IDs
 * and owners as they were (a status update, a label, any other kind) and no tree changed keeps
 * the images, so that a query reads the bodies of all of a cluster's Pods once per change of
 * its images, not once per request, per commit or per status update.
 */
final class Images {

    /** One image and where it runs. {@code runningDigests}: what the container runtimes resolved it to. */
    record ImageUse(String image, String repository, String tag, String digest, long pods, List<String> clusters,
            List<String> runningDigests, List<Workload> workloads) {}

    /** A workload running an image: the root of a Pod's ownership tree, or the Pod itself. */
    record Workload(String cluster, String uid, String apiVersion, String kind, String namespace, String name, long pods) {}

    private record Derived(long contentSeq, Map<String, ImageUse> images) {}

    private final InventoryViews inventory;
    private final Map<String, Derived> derived = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    Images(InventoryViews inventory) {
        this.inventory = inventory;
    }

    /** Forgets what was derived for clusters that are gone: every cluster there is is in {@code all}. */
    void forgetAllBut(List<ClusterView> all) {
        Set<String> known = all.stream().map(ClusterView::id).collect(Collectors.toSet());
        derived.keySet().retainAll(known);
        locks.keySet().retainAll(known);
    }

    /** Every image of {@code clusters}' current snapshots, by reference, merged across the clusters. */
    List<ImageUse> of(List<ClusterView> clusters) {
        TreeMap<String, List<ImageUse>> byImage = new TreeMap<>();
        for (ClusterView cluster : clusters) {
            if (cluster.currentFetchingId() != null) {
                of(cluster).values().forEach(use -> byImage.computeIfAbsent(use.image(), k -> new ArrayList<>()).add(use));
            }
        }
        return byImage.values().stream().map(Images::merge).toList();
    }

    private Map<String, ImageUse> of(ClusterView cluster) {
        long content = inventory.contentSeq(cluster.id());
        Derived known = derived.get(cluster.id());
        if (known != null && known.contentSeq() == content) {
            return known.images();
        }
        // One derivation per cluster at a time: a burst of first requests reads the Pods once.
        synchronized (locks.computeIfAbsent(cluster.id(), k -> new Object())) {
            known = derived.get(cluster.id());
            if (known != null && known.contentSeq() != content) {
                // Most changes leave every Pod's images as they were (a status update, a label):
                // keep the images, having read only the Pods that changed since.
                OptionalLong unchanged = inventory.unchangedSince(cluster.id(), "", "Pod", known.contentSeq(),
                        Images::sameImages);
                if (unchanged.isPresent()) {
                    known = new Derived(unchanged.getAsLong(), known.images());
                    derived.put(cluster.id(), known);
                    return known.images();
                }
            }
            if (known == null || known.contentSeq() != content) {
                known = derive(cluster.id());
                derived.put(cluster.id(), known);
            }
            return known.images();
        }
    }

    /** Whether two bodies of a Pod (null: none) count the same images for the same workload. */
    private static boolean sameImages(byte[] before, byte[] after) {
        return before != null && after != null
                && footprint(Json.MAPPER.readTree(before)).equals(footprint(Json.MAPPER.readTree(after)));
    }

    /**
     * What {@link #count} reads of a Pod: its identity and owners (its workload), and per
     * container its name and image, and its status's image ID (the running digest).
     */
    private static JsonNode footprint(JsonNode pod) {
        ObjectNode footprint = Json.MAPPER.createObjectNode();
        JsonNode meta = pod.path("metadata");
        footprint.set("apiVersion", pod.path("apiVersion"));
        for (String field : List.of("uid", "namespace", "name", "ownerReferences")) {
            footprint.set(field, meta.path(field));
        }
        for (String list : CONTAINER_LISTS) {
            ArrayNode containers = footprint.putArray(list);
            pod.path("spec").path(list).forEach(container -> containers.addObject()
                    .set("name", container.path("name")).set("image", container.path("image")));
            ArrayNode statuses = footprint.putArray(statusesOf(list));
            pod.path("status").path(statusesOf(list)).forEach(status -> statuses.addObject()
                    .set("name", status.path("name")).set("imageID", status.path("imageID")));
        }
        return footprint;
    }

    private Derived derive(String clusterId) {
        Map<String, TreeNode> roots = new HashMap<>();
        Map<String, Map<Workload, Long>> pods = new HashMap<>();
        Map<String, Set<String>> digests = new HashMap<>();
        long contentSeq = inventory.eachOfKind(clusterId, "", "Pod",
                tree -> {
                    TreeNode root = Json.MAPPER.readValue(tree, TreeNode.class);
                    index(root, root, roots);
                },
                body -> count(clusterId, Json.MAPPER.readTree(body), roots, pods, digests));
        Map<String, ImageUse> images = new TreeMap<>();
        pods.forEach((image, workloads) -> {
            ImageName name = ImageName.parse(image);
            List<Workload> counted = workloads.entrySet().stream()
                    .map(w -> new Workload(clusterId, w.getKey().uid(), w.getKey().apiVersion(), w.getKey().kind(),
                            w.getKey().namespace(), w.getKey().name(), w.getValue()))
                    .sorted(WORKLOAD_ORDER).toList();
            images.put(image, new ImageUse(image, name.repository(), name.tag(), name.digest(),
                    counted.stream().mapToLong(Workload::pods).sum(), List.of(clusterId),
                    List.copyOf(digests.getOrDefault(image, Set.of())), counted));
        });
        return new Derived(contentSeq, images);
    }

    /** Where a Pod's spec lists containers; each has its statuses under {@link #statusesOf}. */
    private static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers", "ephemeralContainers");

    /** {@code initContainers} > {@code initContainerStatuses}, and so on. */
    private static String statusesOf(String list) {
        return list.substring(0, list.length() - 1) + "Statuses";
    }

    private static final Comparator<Workload> WORKLOAD_ORDER = Comparator.comparing(Workload::cluster)
            .thenComparing(w -> w.namespace() == null ? "" : w.namespace())
            .thenComparing(Workload::kind).thenComparing(Workload::name);

    private static void index(TreeNode node, TreeNode root, Map<String, TreeNode> roots) {
        roots.put(node.uid(), root);
        node.children().forEach(child -> index(child, root, roots));
    }

    private static void count(String clusterId, JsonNode pod, Map<String, TreeNode> roots,
            Map<String, Map<Workload, Long>> pods, Map<String, Set<String>> digests) {
        JsonNode meta = pod.path("metadata");
        Workload workload = workload(clusterId, pod, roots.get(meta.path("uid").asString(null)));
        Map<String, String> imageOf = new HashMap<>();
        for (String list : CONTAINER_LISTS) {
            for (JsonNode container : pod.path("spec").path(list)) {
                String image = container.path("image").asString(null);
                if (image != null && !image.isEmpty()) {
                    imageOf.put(list + "/" + container.path("name").asString(""), image);
                }
            }
        }
        for (String image : new TreeSet<>(imageOf.values())) {
            pods.computeIfAbsent(image, k -> new HashMap<>()).merge(workload, 1L, Long::sum);
        }
        for (String list : CONTAINER_LISTS) {
            for (JsonNode status : pod.path("status").path(statusesOf(list))) {
                String image = imageOf.get(list + "/" + status.path("name").asString(""));
                String digest = ImageName.digestOf(status.path("imageID").asString(null));
                if (image != null && digest != null) {
                    digests.computeIfAbsent(image, k -> new TreeSet<>()).add(digest);
                }
            }
        }
    }

    /** The Pod's tree root; else its controller owner (or first owner), which was not collected; else the Pod. */
    private static Workload workload(String clusterId, JsonNode pod, TreeNode root) {
        JsonNode meta = pod.path("metadata");
        if (root != null && !root.uid().equals(meta.path("uid").asString(null))) {
            return new Workload(clusterId, root.uid(), root.apiVersion(), root.kind(), root.namespace(), root.name(), 0);
        }
        JsonNode owner = null;
        for (JsonNode reference : meta.path("ownerReferences")) {
            if (owner == null || reference.path("controller").asBoolean(false)) {
                owner = reference;
            }
        }
        if (owner != null) {
            return new Workload(clusterId, owner.path("uid").asString(null), owner.path("apiVersion").asString(null),
                    owner.path("kind").asString(""), meta.path("namespace").asString(null), owner.path("name").asString(""), 0);
        }
        return new Workload(clusterId, meta.path("uid").asString(null), pod.path("apiVersion").asString("v1"), "Pod",
                meta.path("namespace").asString(null), meta.path("name").asString(""), 0);
    }

    private static ImageUse merge(List<ImageUse> uses) {
        ImageUse first = uses.get(0);
        return new ImageUse(first.image(), first.repository(), first.tag(), first.digest(),
                uses.stream().mapToLong(ImageUse::pods).sum(),
                uses.stream().flatMap(u -> u.clusters().stream()).sorted().toList(),
                List.copyOf(uses.stream().flatMap(u -> u.runningDigests().stream()).collect(Collectors.toCollection(TreeSet::new))),
                uses.stream().flatMap(u -> u.workloads().stream()).sorted(WORKLOAD_ORDER).toList());
    }
}
