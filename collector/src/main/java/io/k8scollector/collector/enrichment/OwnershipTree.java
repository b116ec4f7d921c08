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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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
 * <p>While objects stream by only a small reference is kept per object, in an {@link ObjectIndex}
 * (its own, or one a continuous run shares with what it shipped): its uid as two longs, its name,
 * shared strings for namespace, apiVersion and kind, and its owners' uids; the trees are built, in
 * linear time, by {@link #roots()} and {@link #forEachRoot}. An object observed twice (a page
 * listed twice) is in the tree once, as first seen. A continuous run keeps the references up to
 * date with each watched change ({@link #replace}, {@link #forget}); from the first such change
 * on, an index of owners and implied links is kept as well, so that {@link #changes()} builds again
 * only the trees those changes can have touched, in time proportional to the changes and those
 * trees. Thread-safe.
 */
public final class OwnershipTree implements ObjectObserver {

    /** The deepest level a tree is sent to; its root is level 1. */
    public static final int MAX_LEVELS = 200;
    /** The order of a node's children: by kind, name and uid. */
    static final Comparator<TreeNode> SIBLINGS =
            Comparator.comparing(TreeNode::kind).thenComparing(TreeNode::name).thenComparing(TreeNode::uid);

    private static final Logger LOG = LoggerFactory.getLogger(OwnershipTree.class);
    private static final int ROOT = -1;

    private final ObjectIndex refs;
    private final AtomicLong cut = new AtomicLong();
    /** Null until the first {@link #replace} or {@link #forget}: a full run never pays for it. */
    private OwnershipIndex index;

    /** Trees of their own: nothing else reads their objects. */
    public OwnershipTree() {
        this(new ObjectIndex());
    }

    /** Trees whose references are kept in {@code objects}, with what was shipped of each. */
    public OwnershipTree(ObjectIndex objects) {
        this.refs = objects;
    }

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
                if (refs.inTree(ref.uidHigh, ref.uidLow) == null) {
                    if (index == null) {
                        refs.plant(ref);
                    } else {
                        index.put(ref);
                    }
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
        String apiVersion = refs.share(object.path("apiVersion").asString(""));
        String kind = refs.share(object.path("kind").asString(""));
        String namespace = metadata.path("namespace").asString("");
        return new OwnershipRef(UidBits.of(uid), uid, apiVersion, kind, metadata.path("name").asString(""),
                namespace.isEmpty() ? null : refs.share(namespace), owners(metadata.path("ownerReferences")),
                links(kind, object));
    }

    /** The roots that have at least one child, with their trees; sorted by namespace, kind, name and uid. */
    public List<TreeNode> roots() {
        List<TreeNode> roots = new ArrayList<>();
        forEachRoot(roots::add);
        return roots;
    }

    /**
     * Hands each root that has at least one child, with its tree, to {@code each}, in the order of
     * {@link #roots()}: one tree is built at a time, so that the forest of a large cluster is never
     * all in memory (each tree goes to the sink and is let go).
     */
    public void forEachRoot(Consumer<TreeNode> each) {
        Forest forest;
        synchronized (refs) {
            forest = new Forest(refs);
        }
        long[] leftOut = new long[1];
        List<OwnershipRef> cutUnder = new ArrayList<>();
        for (int root : forest.roots()) {
            long before = leftOut[0];
            TreeNode tree = forest.node(root, 1, leftOut);
            if (leftOut[0] > before) {
                cutUnder.add(forest.slots[root]);
            }
            each.accept(tree);
        }
        warnOfCuts(cutUnder, leftOut[0]);
        cut.set(leftOut[0]);
    }

    private static void warnOfCuts(List<OwnershipRef> cutUnder, long leftOut) {
        if (!cutUnder.isEmpty()) {
            OwnershipRef first = cutUnder.get(0);
            LOG.warn("{} ownership tree(s) deeper than {} levels were cut there, {} node(s) left out of them"
                            + " (the first under {} {}/{}); the objects themselves are still sent.",
                    cutUnder.size(), MAX_LEVELS, leftOut, first.kind, first.namespace, first.name());
        }
    }

    /** How many nodes the last {@link #roots()} left out of trees deeper than {@value #MAX_LEVELS} levels. */
    public long cut() {
        return cut.get();
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

    /**
     * The parents and children of every object in the trees, by slot of a snapshot of the index's
     * table: arrays of ints (every object's children in one array, each from its start), no map
     * entry per object.
     */
    private static final class Forest {
        final OwnershipRef[] slots;
        private final int[] parents;
        private final int[] childStart;
        private final int[] children;

        /** Under {@code index}'s lock. */
        Forest(ObjectIndex index) {
            OwnershipRef[] table = index.slots();
            slots = new OwnershipRef[table.length];
            Map<String, Integer> offered = new HashMap<>();
            for (int i = 0; i < table.length; i++) {
                OwnershipRef ref = table[i];
                if (ref != null && ref.is(OwnershipRef.IN_TREE)) {
                    slots[i] = ref;
                    for (String link : ref.offers()) {
                        offered.merge(link, i, (one, other) -> table[other].precedes(table[one]) ? other : one);
                    }
                }
            }
            parents = new int[slots.length];
            int[] counts = new int[slots.length + 1];
            for (int i = 0; i < slots.length; i++) {
                parents[i] = ROOT;
                OwnershipRef ref = slots[i];
                if (ref == null) {
                    continue;
                }
                int parent = ROOT;
                for (int o = 0; o < ref.ownerCount() && parent == ROOT; o++) {
                    parent = index.treeSlot(ref.owners[2 * o], ref.owners[2 * o + 1]);
                }
                if (ref.owners == null) {
                    String sought = ref.seeks();
                    Integer offer = sought == null ? null : offered.get(sought);
                    parent = offer == null ? ROOT : offer;
                }
                if (parent != i && parent != ROOT) {
                    parents[i] = parent;
                    counts[parent + 1]++;
                }
            }
            for (int i = 0; i < slots.length; i++) {
                counts[i + 1] += counts[i];
            }
            childStart = counts.clone();
            children = new int[counts[slots.length]];
            for (int i = 0; i < slots.length; i++) {
                if (parents[i] != ROOT) {
                    children[counts[parents[i]]++] = i;
                }
            }
        }

        /** The slots of the roots that have a child, sorted by namespace, kind, name and uid. */
        List<Integer> roots() {
            List<Integer> roots = new ArrayList<>();
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] != null && parents[i] == ROOT && childStart[i + 1] > childStart[i]) {
                    roots.add(i);
                }
            }
            Comparator<OwnershipRef> order = Comparator.comparing((OwnershipRef ref) -> ref.namespace,
                            Comparator.nullsFirst(Comparator.<String>naturalOrder()))
                    .thenComparing(ref -> ref.kind)
                    .thenComparing(OwnershipRef::name)
                    .thenComparing(OwnershipRef::uid);
            roots.sort(Comparator.comparing(slot -> slots[slot], order));
            return roots;
        }

        TreeNode node(int index, int level, long[] leftOut) {
            OwnershipRef ref = slots[index];
            if (level == MAX_LEVELS) {
                leftOut[0] += descendants(index);
                return ref.node(List.of());
            }
            List<TreeNode> nodes = new ArrayList<>(childStart[index + 1] - childStart[index]);
            for (int c = childStart[index]; c < childStart[index + 1]; c++) {
                nodes.add(node(children[c], level + 1, leftOut));
            }
            nodes.sort(SIBLINGS);
            return ref.node(nodes);
        }

        /** The nodes under {@code index}, counted without recursion: the chain below a cut may be any length. */
        private long descendants(int index) {
            long count = 0;
            ArrayDeque<Integer> pending = new ArrayDeque<>();
            pending.push(index);
            while (!pending.isEmpty()) {
                int at = pending.pop();
                for (int c = childStart[at]; c < childStart[at + 1]; c++) {
                    count++;
                    pending.push(children[c]);
                }
            }
            return count;
        }
    }
}
