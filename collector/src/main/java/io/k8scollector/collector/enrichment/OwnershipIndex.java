package io.k8scollector.collector.enrichment;

import io.k8scollector.collector.UidBits;
import io.k8scollector.protocol.TreeNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ownership trees kept up to date change by change, for a continuous run: who lists each uid
 * as an owner, who offers and who seeks each implied link, and the roots whose trees may have
 * changed since they were last asked for. A change costs what it touches: the changed object, the
 * objects that list it as an owner or seek a link it offers (offered), and the walk up to their
 * roots; a changed tree is built from the index alone, in time proportional to its size.
 *
 * <p>The parents are the same as {@link OwnershipTree#roots()} derives over all objects: the first
 * owner present, else (no owner at all) the lowest uid offering the link the object seeks. Not
 * thread-safe: {@link OwnershipTree} calls it under its lock.
 */
final class OwnershipIndex {

    private final ObjectIndex refs;
    private final Map<UidBits, Set<OwnershipRef>> listers = new HashMap<>();
    private final Map<String, Set<OwnershipRef>> offering = new HashMap<>();
    private final Map<String, Set<OwnershipRef>> seeking = new HashMap<>();
    /** The roots whose trees may have changed, by uid, with the uid's text. */
    private final Map<UidBits, String> touched = new LinkedHashMap<>();

    /** An index of the trees' entries in {@code refs}, which it keeps up to date from now on through {@link #put} and {@link #remove}. */
    OwnershipIndex(ObjectIndex refs) {
        this.refs = refs;
        for (OwnershipRef ref : refs.slots()) {
            if (ref != null && ref.is(OwnershipRef.IN_TREE)) {
                link(ref);
            }
        }
    }

    /** Puts {@code ref} in place of the object of its uid, if any, and notes the roots it touched. */
    void put(OwnershipRef ref) {
        change(ref.bits(), ref);
    }

    /** Removes the object of {@code bits}, if any, and notes the roots it touched. */
    void remove(UidBits bits) {
        change(bits, null);
    }

    /**
     * The roots touched since the last call, each with its tree now, or without one when it is no
     * root with a child any more; {@code leftOut[0]} grows by the nodes cut at the deepest level.
     */
    List<OwnershipTree.Change> drain(long[] leftOut, List<OwnershipRef> cutUnder) {
        List<OwnershipTree.Change> changes = new ArrayList<>(touched.size());
        for (Map.Entry<UidBits, String> root : touched.entrySet()) {
            OwnershipRef ref = refs.inTree(root.getKey().high(), root.getKey().low());
            List<OwnershipRef> children = ref == null || parent(ref) != null ? List.of() : children(ref);
            TreeNode tree = null;
            if (!children.isEmpty()) {
                long before = leftOut[0];
                tree = node(ref, children, 1, leftOut);
                if (leftOut[0] > before) {
                    cutUnder.add(ref);
                }
            }
            changes.add(new OwnershipTree.Change(ref == null ? root.getValue() : ref.uid(), tree));
        }
        touched.clear();
        return changes;
    }

    /**
     * The roots of every object whose parent can change with it, before and after: the object, the
     * objects that list it as an owner when it comes or goes, and those that seek a link it offers
     * when it comes, goes or offers other links. Only those whose parent did change, and the
     * object itself when its node changed, count.
     */
    private void change(UidBits bits, OwnershipRef next) {
        OwnershipRef before = refs.inTree(bits.high(), bits.low());
        if (before == null && next == null) {
            return;
        }
        Set<OwnershipRef> moved = new LinkedHashSet<>();
        String[] offeredBefore = before == null ? OwnershipRef.NO_LINKS : before.offers();
        String[] offeredNext = next == null ? OwnershipRef.NO_LINKS : next.offers();
        boolean comesOrGoes = before == null || next == null;
        if (comesOrGoes) {
            moved.addAll(listers.getOrDefault(bits, Set.of()));
        }
        if (comesOrGoes || !Arrays.equals(offeredBefore, offeredNext)) {
            for (String link : offeredBefore) {
                moved.addAll(seeking.getOrDefault(link, Set.of()));
            }
            for (String link : offeredNext) {
                moved.addAll(seeking.getOrDefault(link, Set.of()));
            }
        }
        moved.remove(before);
        Map<OwnershipRef, OwnershipRef> parentsBefore = new HashMap<>();
        Map<OwnershipRef, OwnershipRef> rootsBefore = new HashMap<>();
        for (OwnershipRef ref : moved) {
            parentsBefore.put(ref, parent(ref));
            rootsBefore.put(ref, root(ref, parentsBefore.get(ref)));
        }
        OwnershipRef parentBefore = before == null ? null : parent(before);
        OwnershipRef rootBefore = before == null ? null : root(before, parentBefore);
        if (before != null) {
            drop(before);
        }
        if (next != null) {
            add(next);
        }
        for (OwnershipRef ref : moved) {
            OwnershipRef parent = parent(ref);
            if (!same(parent, parentsBefore.get(ref))) {
                touch(rootsBefore.get(ref));
                touch(root(ref, parent));
            }
        }
        OwnershipRef parentNext = next == null ? null : parent(next);
        if (before == null || next == null || !same(parentBefore, parentNext) || !before.sameNode(next)) {
            touch(rootBefore);
            touch(next == null ? null : root(next, parentNext));
        }
    }

    private void touch(OwnershipRef root) {
        if (root != null) {
            touched.putIfAbsent(root.bits(), root.uid());
        }
    }

    private static boolean same(OwnershipRef one, OwnershipRef other) {
        return one == null ? other == null : other != null && one.bits().equals(other.bits());
    }

    private void add(OwnershipRef ref) {
        refs.plant(ref);
        link(ref);
    }

    /** Indexes {@code ref}'s owners and links. */
    private void link(OwnershipRef ref) {
        for (int i = 0; i < ref.ownerCount(); i++) {
            listers.computeIfAbsent(ref.owner(i), owner -> new HashSet<>(2)).add(ref);
        }
        for (String link : ref.offers()) {
            offering.computeIfAbsent(link, offered -> new HashSet<>(2)).add(ref);
        }
        String sought = ref.seeks();
        if (sought != null) {
            seeking.computeIfAbsent(sought, link -> new HashSet<>(2)).add(ref);
        }
    }

    private void drop(OwnershipRef ref) {
        refs.uproot(ref.bits());
        for (int i = 0; i < ref.ownerCount(); i++) {
            without(listers, ref.owner(i), ref);
        }
        for (String link : ref.offers()) {
            without(offering, link, ref);
        }
        String sought = ref.seeks();
        if (sought != null) {
            without(seeking, sought, ref);
        }
    }

    private static <K> void without(Map<K, Set<OwnershipRef>> index, K key, OwnershipRef ref) {
        Set<OwnershipRef> refs = index.get(key);
        if (refs != null && refs.remove(ref) && refs.isEmpty()) {
            index.remove(key);
        }
    }

    /** The parent of {@code ref}, by the rules of {@link OwnershipTree}; null for a root. */
    private OwnershipRef parent(OwnershipRef ref) {
        OwnershipRef parent = null;
        for (int i = 0; i < ref.ownerCount() && parent == null; i++) {
            parent = refs.inTree(ref.owners[2 * i], ref.owners[2 * i + 1]);
        }
        if (ref.owners == null) {
            String sought = ref.seeks();
            for (OwnershipRef offer : sought == null ? Set.<OwnershipRef>of() : offering.getOrDefault(sought, Set.of())) {
                if (parent == null || offer.precedes(parent)) {
                    parent = offer;
                }
            }
        }
        return parent == null || parent.bits().equals(ref.bits()) ? null : parent;
    }

    /** The root above {@code ref}, whose parent is {@code parent}; null when its owners go round in a cycle. */
    private OwnershipRef root(OwnershipRef ref, OwnershipRef parent) {
        OwnershipRef top = ref;
        Set<UidBits> seen = null;
        int steps = 0;
        for (OwnershipRef up = parent; up != null; up = parent(up)) {
            top = up;
            if (++steps > OwnershipTree.MAX_LEVELS) {
                // No tree is this deep: from here on the way up is remembered, so that a cycle ends the walk.
                seen = seen == null ? new HashSet<>() : seen;
                if (!seen.add(up.bits())) {
                    return null;
                }
            }
        }
        return top;
    }

    /** The children of {@code ref}: who lists it as an owner and has it as parent, and who seeks a link it offers and has it as parent. */
    private List<OwnershipRef> children(OwnershipRef ref) {
        List<OwnershipRef> children = new ArrayList<>();
        for (OwnershipRef lister : listers.getOrDefault(ref.bits(), Set.of())) {
            if (parent(lister) == ref) {
                children.add(lister);
            }
        }
        for (String link : ref.offers()) {
            for (OwnershipRef seeker : seeking.getOrDefault(link, Set.of())) {
                if (parent(seeker) == ref) {
                    children.add(seeker);
                }
            }
        }
        return children;
    }

    private TreeNode node(OwnershipRef ref, List<OwnershipRef> children, int level, long[] leftOut) {
        if (level == OwnershipTree.MAX_LEVELS) {
            leftOut[0] += descendants(children);
            return ref.node(List.of());
        }
        List<TreeNode> nodes = new ArrayList<>(children.size());
        for (OwnershipRef child : children) {
            nodes.add(node(child, children(child), level + 1, leftOut));
        }
        nodes.sort(OwnershipTree.SIBLINGS);
        return ref.node(nodes);
    }

    /** The nodes under {@code children}, themselves included, counted without recursion. */
    private long descendants(List<OwnershipRef> children) {
        long count = 0;
        ArrayDeque<OwnershipRef> pending = new ArrayDeque<>(children);
        while (!pending.isEmpty()) {
            count++;
            pending.addAll(children(pending.pop()));
        }
        return count;
    }
}
