package io.k8scollector.receiver.query;

import io.k8scollector.protocol.HelmRelease;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.TreeNode;
import io.k8scollector.receiver.store.ObjectRef;
import io.k8scollector.receiver.store.Inventory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * Where an object of a snapshot stands: its owners up to the root of its ownership tree, the
 * tree below it, and the Helm releases and Argo CD applications whose resources list it or one
 * of its owners.
 *
 * @param owners nearest first, the root last; empty for a root or an object in no tree
 * @param tree the object's node with everything below it, or null when it is in no tree
 * @param releases the releases it belongs to, each with the object ({@code via}) the release lists
 */
record Relations(ObjectRef object, List<ObjectRef> owners, TreeNode tree, List<Membership> releases) {

    /** A release an object belongs to through {@code via} (the object itself or one of its owners). */
    record Membership(String source, String storage, String namespace, String name, HelmRelease.Chart chart,
            int revision, String status, String destinationNamespace, ObjectRef via) {}

    /** Owner links followed at most; a longer chain is broken or hostile (the collector cuts trees at 200 levels too). */
    private static final int MAX_DEPTH = 200;

    static Relations of(Inventory inventory, String clusterId, String uid, byte[] body, List<HelmRelease> releases) {
        JsonNode object = Json.MAPPER.readTree(body);
        // Follows ownerReferences to a root candidate: its tree is found by key, with no scan of every tree.
        List<JsonNode> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>(Set.of(uid));
        JsonNode current = object;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            String owner = ownerUid(current);
            if (owner == null || !seen.add(owner)) {
                break;
            }
            Optional<byte[]> found = inventory.object(clusterId, owner, null);
            if (found.isEmpty()) {
                break;
            }
            current = Json.MAPPER.readTree(found.get());
            chain.add(current);
        }
        String root = chain.isEmpty() ? uid : chain.get(chain.size() - 1).path("metadata").path("uid").asString();
        List<TreeNode> path = inventory.tree(clusterId, root, null)
                .map(tree -> path(Json.MAPPER.readValue(tree, TreeNode.class), uid)).orElse(null);
        if (path == null) {
            // Implied links (a Service over its Endpoints, a claim over its volume) have no ownerReferences.
            AtomicReference<List<TreeNode>> hit = new AtomicReference<>();
            inventory.eachTree(clusterId, null, tree -> {
                if (hit.get() == null) {
                    hit.set(path(Json.MAPPER.readValue(tree, TreeNode.class), uid));
                }
            });
            path = hit.get();
        }
        ObjectRef self = ref(object);
        List<ObjectRef> owners = new ArrayList<>();
        if (path != null) {
            for (int i = path.size() - 2; i >= 0; i--) {
                TreeNode n = path.get(i);
                owners.add(new ObjectRef(n.uid(), n.apiVersion(), n.kind(), n.namespace(), n.name()));
            }
        } else {
            chain.forEach(owner -> owners.add(ref(owner)));
        }
        List<ObjectRef> listed = new ArrayList<>(List.of(self));
        listed.addAll(owners);
        List<Membership> memberships = new ArrayList<>();
        for (HelmRelease release : releases) {
            listed.stream().filter(candidate -> release.resources().stream().anyMatch(r -> lists(release, r, candidate)))
                    .findFirst()
                    .ifPresent(via -> memberships.add(new Membership(release.source(), release.storage(),
                            release.namespace(), release.name(), release.chart(), release.revision(), release.status(),
                            release.destinationNamespace(), via)));
        }
        return new Relations(self, owners, path == null ? null : path.get(path.size() - 1), memberships);
    }

    /** The controller owner's uid, else the first owner's, else null. */
    private static String ownerUid(JsonNode object) {
        String first = null;
        for (JsonNode reference : object.path("metadata").path("ownerReferences")) {
            String uid = reference.path("uid").asString(null);
            if (reference.path("controller").asBoolean(false)) {
                return uid;
            }
            first = first == null ? uid : first;
        }
        return first;
    }

    /** The nodes from {@code node} down to the one of {@code uid}, or null when it is not below. */
    private static List<TreeNode> path(TreeNode node, String uid) {
        if (uid.equals(node.uid())) {
            return new ArrayList<>(List.of(node));
        }
        for (TreeNode child : node.children()) {
            List<TreeNode> below = path(child, uid);
            if (below != null) {
                below.add(0, node);
                return below;
            }
        }
        return null;
    }

    /**
     * Whether a release's resource is {@code object}: same group, kind, name and namespace, a
     * missing namespace being the release's own (an Argo CD application's destination) for a
     * namespaced object. The version may differ: a manifest may name another version of the type.
     */
    private static boolean lists(HelmRelease release, HelmRelease.ResourceRef resource, ObjectRef object) {
        if (!group(resource.apiVersion()).equals(group(object.apiVersion())) || !String.valueOf(resource.kind()).equals(object.kind())
                || !String.valueOf(resource.name()).equals(object.name())) {
            return false;
        }
        if (object.namespace() == null) {
            return resource.namespace() == null;
        }
        String namespace = resource.namespace() != null ? resource.namespace()
                : "argocd".equals(release.source()) && release.destinationNamespace() != null
                        ? release.destinationNamespace() : release.namespace();
        return object.namespace().equals(namespace);
    }

    private static String group(String apiVersion) {
        int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    private static ObjectRef ref(JsonNode object) {
        JsonNode meta = object.path("metadata");
        return new ObjectRef(meta.path("uid").asString(null), object.path("apiVersion").asString(null),
                object.path("kind").asString(null), meta.path("namespace").asString(null), meta.path("name").asString(null));
    }
}
