package io.k8scollector.collector.enrichment;

import io.k8scollector.collector.UidBits;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.listing.ObjectObserver;
import io.k8scollector.collector.listing.ObjectView;
import io.k8scollector.protocol.TreeNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ownership trees of the collected objects, exactly as the protocol defines them. A child
 * hangs under its controller owner ({@code ownerReferences[].controller: true}), else under its
 * first owner that was collected; an object whose owners were none of them collected is a root.
 * Only an object without any owner gets an implied parent: an Endpoints its Service (same name and
 * namespace), an EndpointSlice the Service of its {@code kubernetes.io/service-name} label, a
 * PersistentVolumeClaim the StatefulSet whose volumeClaimTemplates make its name
 * ({@code <template>-<statefulset>-<ordinal>}), a PersistentVolume the claim bound to it
 * ({@code spec.volumeName}). When two objects offer the same implied link (two StatefulSets whose
 * templates make the same claim name), the one with the lower uid is the parent.
 *
 * <p>A tree is cut at {@value #MAX_LEVELS} levels: the node at that level is sent without its
 * children (they are still sent as objects). An ownership chain that long is hostile or broken,
 * and a deeper tree would pass the 500 levels of JSON a request body may nest (two per level).
 * {@link #cut()} says how many nodes the cut left out.
 *
 * <p>While objects stream by only a small reference is kept per object (its uid as two longs, its
 * name, shared strings for namespace, apiVersion and kind, and its owners' uids); the trees are
 * built, in linear time, by {@link #roots()}. An object observed twice (a page listed twice) is in
 * the tree once, as first seen. A continuous run keeps the references up to date with each watched
 * change ({@link #replace}, {@link #forget}); from the first such change on, an index of owners and
 * implied links is kept as well, so that {@link #changes()} builds again only the trees those
 * changes can have touched, in time proportional to the changes and those trees. Thread-safe.
 */
public final class OwnershipTree implements ObjectObserver {

    /** The deepest level a tree is sent to; its root is level 1. */
    public static final int MAX_LEVELS = 200;
    /** The order of a node's children: by kind, name and uid. */
    static final Comparator<TreeNode> SIBLINGS =
            Comparator.comparing(TreeNode::kind).thenComparing(TreeNode::name).thenComparing(TreeNode::uid);

    private static final Logger LOG = LoggerFactory.getLogger(OwnershipTree.class);
    private static final int ROOT = -1;

    private final Map<UidBits, OwnershipRef> refs = new LinkedHashMap<>();
    private final Map<String, String> shared = new ConcurrentHashMap<>();
    private final AtomicLong cut = new AtomicLong();
    /** Null until the first {@link #replace} or {@link #forget}: a full run never pays for it. */
    private OwnershipIndex index;

    /**
     * A tree that may have changed since the last {@link #changes()}.
     *
     * @param root the uid of its root
     * @param tree the tree now; null when {@code root} is gone, has an owner now or has no child left
     */
    public record Change(String root, TreeNode tree) {}

    /**
     * Every object's head, and the whole of a claim (its volume) and of a StatefulSet (its claim
     * templates), which imply parents.
     */
    @Override
    public ObjectView view(ResourceType type) {
        return "PersistentVolumeClaim".equals(type.kind()) || "StatefulSet".equals(type.kind())
                ? ObjectView.WHOLE
                : ObjectView.HEAD;
    }

    /** Keeps a reference to {@code object} (any kind; one without a uid is ignored) unless it has one already. */
    @Override
    public void observe(ObjectNode object) {
        OwnershipRef ref = ref(object);
        if (ref != null) {
            synchronized (refs) {
                if (index == null) {
                    refs.putIfAbsent(ref.bits(), ref);
                } else if (!refs.containsKey(ref.bits())) {
                    index.put(ref);
                }
            }
        }
    }

    /** Keeps a reference to {@code object} in place of the one it had: the object changed. */
    public void replace(ObjectNode object) {
        OwnershipRef ref = ref(object);
        if (ref != null) {
            synchronized (refs) {
                live().put(ref);
            }
        }
    }

    /** Forgets the object of {@code uid}: it was deleted. */
    public void forget(String uid) {
        if (!uid.isEmpty()) {
            synchronized (refs) {
                live().remove(UidBits.of(uid));
            }
        }
    }

    /**
     * The trees that may have changed through {@link #replace} and {@link #forget} since the last
     * call (or since the first of them), each with its tree now or without one when it is no tree
     * any more; a tree not among them is as it was. Those deeper than {@value #MAX_LEVELS} levels
     * are cut as in {@link #roots()}, and said at WARN.
     */
    public List<Change> changes() {
        long[] leftOut = new long[1];
        List<OwnershipRef> cutUnder = new ArrayList<>();
        List<Change> changes;
        synchronized (refs) {
            changes = index == null ? List.of() : index.drain(leftOut, cutUnder);
        }
        warnOfCuts(cutUnder, leftOut[0]);
        return changes;
    }

    private OwnershipIndex live() {
        if (index == null) {
            index = new OwnershipIndex(refs);
        }
        return index;
    }

    private OwnershipRef ref(ObjectNode object) {
        JsonNode metadata = object.path("metadata");
        String uid = metadata.path("uid").asString("");
        if (uid.isEmpty()) {
            return null;
        }
        String apiVersion = share(object.path("apiVersion").asString(""));
        String kind = share(object.path("kind").asString(""));
        String namespace = metadata.path("namespace").asString("");
        return new OwnershipRef(uid, apiVersion, kind, metadata.path("name").asString(""),
                namespace.isEmpty() ? null : share(namespace), owners(metadata.path("ownerReferences")),
                links(kind, object));
    }

    /** The roots that have at least one child, with their trees; sorted by namespace, kind and name. */
    public List<TreeNode> roots() {
        List<OwnershipRef> all;
        synchronized (refs) {
            all = List.copyOf(refs.values());
        }
        int[] parents = parents(all);
        int[][] children = children(all, parents);
        List<TreeNode> roots = new ArrayList<>();
        long[] leftOut = new long[1];
        List<OwnershipRef> cutUnder = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (parents[i] == ROOT && children[i].length > 0) {
                long before = leftOut[0];
                roots.add(node(i, 1, all, children, leftOut));
                if (leftOut[0] > before) {
                    cutUnder.add(all.get(i));
                }
            }
        }
        warnOfCuts(cutUnder, leftOut[0]);
        cut.set(leftOut[0]);
        roots.sort(Comparator.comparing(TreeNode::namespace, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
                .thenComparing(TreeNode::kind)
                .thenComparing(TreeNode::name));
        return roots;
    }

    private static void warnOfCuts(List<OwnershipRef> cutUnder, long leftOut) {
        if (!cutUnder.isEmpty()) {
            OwnershipRef first = cutUnder.get(0);
            LOG.warn("{} ownership tree(s) deeper than {} levels were cut there, {} node(s) left out of them"
                            + " (the first under {} {}/{}); the objects themselves are still sent.",
                    cutUnder.size(), MAX_LEVELS, leftOut, first.kind, first.namespace, first.name);
        }
    }

    /** Each object's parent, by index, or {@code ROOT}: its first owner collected, else the lowest uid offering the link it seeks. */
    private static int[] parents(List<OwnershipRef> all) {
        Map<UidBits, Integer> byUid = new HashMap<>(all.size() * 2);
        Map<String, Integer> offered = new HashMap<>();
        int[] parents = new int[all.size()];
        for (int i = 0; i < all.size(); i++) {
            OwnershipRef ref = all.get(i);
            byUid.put(ref.bits(), i);
            for (String link : ref.offers()) {
                offered.merge(link, i, (one, other) -> all.get(other).precedes(all.get(one)) ? other : one);
            }
        }
        for (int i = 0; i < all.size(); i++) {
            OwnershipRef ref = all.get(i);
            Integer parent = null;
            for (int o = 0; o < ref.ownerCount() && parent == null; o++) {
                parent = byUid.get(ref.owner(o));
            }
            if (ref.owners == null) {
                String sought = ref.seeks();
                parent = sought == null ? null : offered.get(sought);
            }
            parents[i] = parent == null || parent == i ? ROOT : parent;
        }
        return parents;
    }

    private static int[][] children(List<OwnershipRef> all, int[] parents) {
        int[] counts = new int[all.size()];
        for (int parent : parents) {
            if (parent >= 0) {
                counts[parent]++;
            }
        }
        int[][] children = new int[all.size()][];
        for (int i = 0; i < counts.length; i++) {
            children[i] = new int[counts[i]];
            counts[i] = 0;
        }
        for (int i = 0; i < parents.length; i++) {
            if (parents[i] >= 0) {
                children[parents[i]][counts[parents[i]]++] = i;
            }
        }
        return children;
    }

    /** How many nodes the last {@link #roots()} left out of trees deeper than {@value #MAX_LEVELS} levels. */
    public long cut() {
        return cut.get();
    }

    private static TreeNode node(int index, int level, List<OwnershipRef> all, int[][] children, long[] leftOut) {
        OwnershipRef ref = all.get(index);
        if (level == MAX_LEVELS) {
            leftOut[0] += descendants(index, children);
            return ref.node(List.of());
        }
        List<TreeNode> nodes = new ArrayList<>(children[index].length);
        for (int child : children[index]) {
            nodes.add(node(child, level + 1, all, children, leftOut));
        }
        nodes.sort(SIBLINGS);
        return ref.node(nodes);
    }

    /** The nodes under {@code index}, counted without recursion: the chain below a cut may be any length. */
    private static long descendants(int index, int[][] children) {
        long count = 0;
        ArrayDeque<Integer> pending = new ArrayDeque<>();
        pending.push(index);
        while (!pending.isEmpty()) {
            for (int child : children[pending.pop()]) {
                count++;
                pending.push(child);
            }
        }
        return count;
    }

    /** Owner uids as pairs of longs, the controller's first; null when the object has no owner. */
    private static long[] owners(JsonNode references) {
        if (!references.isArray() || references.isEmpty()) {
            return null;
        }
        long[] owners = new long[references.size() * 2];
        int next = 0;
        for (JsonNode reference : references) {
            if (reference.path("controller").asBoolean(false)) {
                next = putUid(owners, next, reference.path("uid").asString(""));
            }
        }
        for (JsonNode reference : references) {
            if (!reference.path("controller").asBoolean(false)) {
                next = putUid(owners, next, reference.path("uid").asString(""));
            }
        }
        return owners;
    }

    private static int putUid(long[] owners, int at, String uid) {
        UidBits bits = UidBits.of(uid);
        owners[at] = bits.high();
        owners[at + 1] = bits.low();
        return at + 2;
    }

    /** What implied links need: a slice's service name, a StatefulSet's claim templates, a claim's volume. */
    private String[] links(String kind, ObjectNode object) {
        String link = switch (kind) {
            case "EndpointSlice" -> object.path("metadata").path("labels").path("kubernetes.io/service-name").asString("");
            case "PersistentVolumeClaim" -> object.path("spec").path("volumeName").asString("");
            default -> "";
        };
        if (!link.isEmpty()) {
            return new String[] {link};
        }
        if ("StatefulSet".equals(kind)) {
            return object.path("spec").path("volumeClaimTemplates").valueStream()
                    .map(template -> template.path("metadata").path("name").asString(""))
                    .filter(name -> !name.isEmpty())
                    .toArray(String[]::new);
        }
        return OwnershipRef.NO_LINKS;
    }

    private String share(String text) {
        return shared.computeIfAbsent(text, same -> same);
    }
}
