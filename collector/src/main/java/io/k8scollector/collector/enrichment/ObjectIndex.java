package io.k8scollector.collector.enrichment;

import io.k8scollector.collector.UidBits;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.tracking.IndexedObject;
import io.k8scollector.collector.watching.ObjectHead;
import io.k8scollector.protocol.RecordKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The one thing continuous mode keeps per object: what the ownership trees read of it and what
 * the endpoint holds of it (its identity and shipped resourceVersion), in one entry
 * ({@link OwnershipRef}), never its body. An {@link OwnershipTree} built on it keeps its part up
 * to date as objects are observed, changed and deleted; a continuous run records here what each
 * commit shipped ({@link #put}, {@link #remove}) and what a relist saw ({@link #listed}). An entry
 * lives while either part holds it: a deleted object stays until its deletion is committed, a
 * shipped object without a uid (metrics) is in no tree.
 *
 * <p>The entries are in one open-addressing table keyed by 128 bits: the uid's ({@link UidBits}),
 * else those of the record key of an object without one. No map entry, boxed key or second copy
 * of a name per object: about 150 bytes per pod (docs/continuous.md gives the figure
 * {@code ObjectIndexTest} measures). Thread-safe: every method locks the index, and the trees
 * built on it lock it too.
 */
public final class ObjectIndex {

    private static final int INITIAL_CAPACITY = 1024;
    /** Grows past 60 % full: linear probing stays short. */
    private static final double MAX_LOAD = 0.6;

    private final Map<String, String> shared = new ConcurrentHashMap<>();
    private OwnershipRef[] table = new OwnershipRef[INITIAL_CAPACITY];
    private int size;
    private int shippedCount;

    /** Records {@code head} of {@code type} as shipped, with its resourceVersion, in its entry or a new one. */
    public synchronized void put(ResourceType type, ObjectHead head) {
        UidBits bits = bits(head.key(), head.uid());
        OwnershipRef entry = find(bits.high(), bits.low());
        if (entry == null) {
            entry = new OwnershipRef(bits, head.uid(), share(head.apiVersion()), share(head.kind()), head.name(),
                    head.namespace().isEmpty() ? null : share(head.namespace()), null, OwnershipRef.NO_LINKS);
            place(entry);
        }
        if (!entry.is(OwnershipRef.SHIPPED)) {
            shippedCount++;
        }
        entry.flags |= OwnershipRef.SHIPPED;
        entry.type = type;
        setVersion(entry, head.resourceVersion());
    }

    /** The shipped object of {@code key}, or null when none was recorded. */
    public synchronized IndexedObject get(RecordKey key) {
        OwnershipRef entry = shippedEntry(key);
        return entry == null ? null : view(entry);
    }

    /**
     * Marks the shipped object of {@code key} as seen by listing round {@code round} (a relist,
     * which then asks for what it did not see, {@link #unlisted}).
     *
     * @return the resourceVersion shipped for it, or null when none was: whether it changed since shipped
     */
    public synchronized String listed(RecordKey key, int round) {
        OwnershipRef entry = shippedEntry(key);
        if (entry == null) {
            return null;
        }
        entry.round = round;
        return version(entry);
    }

    /** The shipped objects of {@code type} that listing round {@code round} did not see: gone since they were shipped. */
    public synchronized List<IndexedObject> unlisted(ResourceType type, int round) {
        return shipped(type, entry -> entry.round != round);
    }

    /** The shipped objects of {@code type}. */
    public synchronized List<IndexedObject> ofType(ResourceType type) {
        return shipped(type, entry -> true);
    }

    private List<IndexedObject> shipped(ResourceType type, Predicate<OwnershipRef> which) {
        List<IndexedObject> found = new ArrayList<>();
        for (OwnershipRef entry : table) {
            if (entry != null && entry.is(OwnershipRef.SHIPPED) && entry.type.equals(type) && which.test(entry)) {
                found.add(view(entry));
            }
        }
        return found;
    }

    /** Forgets that {@code key} was shipped (its deletion was committed); answers what was recorded, or null. */
    public synchronized IndexedObject remove(RecordKey key) {
        OwnershipRef entry = shippedEntry(key);
        if (entry == null) {
            return null;
        }
        IndexedObject removed = view(entry);
        entry.flags &= ~OwnershipRef.SHIPPED;
        entry.type = null;
        shippedCount--;
        if (entry.flags == 0) {
            delete(entry.uidHigh, entry.uidLow);
        }
        return removed;
    }

    /** How many objects are recorded as shipped. */
    public synchronized int size() {
        return shippedCount;
    }

    /** The entry in the trees of {@code high} and {@code low}, or null; under this index's lock. */
    OwnershipRef inTree(long high, long low) {
        OwnershipRef entry = find(high, low);
        return entry != null && entry.is(OwnershipRef.IN_TREE) ? entry : null;
    }

    /** Puts {@code ref} in the trees in place of its uid's entry, keeping what that says was shipped; under the lock. */
    void plant(OwnershipRef ref) {
        OwnershipRef old = find(ref.uidHigh, ref.uidLow);
        if (old != null) {
            ref.shippedAs(old);
        }
        ref.flags |= OwnershipRef.IN_TREE;
        place(ref);
    }

    /** Takes the entry of {@code bits} out of the trees, and out of the index unless it was shipped; under the lock. */
    void uproot(UidBits bits) {
        OwnershipRef entry = find(bits.high(), bits.low());
        if (entry != null) {
            entry.flags &= ~OwnershipRef.IN_TREE;
            if (entry.flags == 0) {
                delete(bits.high(), bits.low());
            }
        }
    }

    /** The table's slots, for a walk over every entry (nulls and entries in no tree included); under the lock. */
    OwnershipRef[] slots() {
        return table;
    }

    /** The slot of the entry in the trees of {@code high} and {@code low}, or -1; under the lock. */
    int treeSlot(long high, long low) {
        int slot = slotOf(high, low);
        return slot >= 0 && table[slot].is(OwnershipRef.IN_TREE) ? slot : -1;
    }

    /** {@code text} as the one instance of its value this index keeps: every pod's namespace is one string. */
    String share(String text) {
        return shared.computeIfAbsent(text, same -> same);
    }

    private OwnershipRef shippedEntry(RecordKey key) {
        UidBits bits = bits(key, key.value().startsWith("u:") ? key.value().substring(2) : "");
        OwnershipRef entry = find(bits.high(), bits.low());
        return entry != null && entry.is(OwnershipRef.SHIPPED) ? entry : null;
    }

    private OwnershipRef find(long high, long low) {
        int slot = slotOf(high, low);
        return slot < 0 ? null : table[slot];
    }

    /** The slot of the entry of {@code high} and {@code low}, or -1 when there is none. */
    private int slotOf(long high, long low) {
        int mask = table.length - 1;
        for (int slot = slot(high, low, mask); table[slot] != null; slot = (slot + 1) & mask) {
            if (table[slot].uidHigh == high && table[slot].uidLow == low) {
                return slot;
            }
        }
        return -1;
    }

    /** The first free slot of {@code table} on the probe run of {@code entry}'s key. */
    private static int freeSlot(OwnershipRef[] table, OwnershipRef entry) {
        int mask = table.length - 1;
        int slot = slot(entry.uidHigh, entry.uidLow, mask);
        while (table[slot] != null) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Puts {@code entry} in the slot of its key, in place of the entry there. */
    private void place(OwnershipRef entry) {
        int slot = slotOf(entry.uidHigh, entry.uidLow);
        if (slot >= 0) {
            table[slot] = entry;
            return;
        }
        if (size + 1 > table.length * MAX_LOAD) {
            grow();
        }
        table[freeSlot(table, entry)] = entry;
        size++;
    }

    private void grow() {
        OwnershipRef[] old = table;
        table = new OwnershipRef[old.length * 2];
        for (OwnershipRef moved : old) {
            if (moved != null) {
                table[freeSlot(table, moved)] = moved;
            }
        }
    }

    private void delete(long high, long low) {
        int slot = slotOf(high, low);
        if (slot >= 0) {
            table[slot] = null;
            size--;
            shiftBack(slot, table.length - 1);
        }
    }

    /** Backward-shift deletion: moves later entries of the probe run into the hole, so lookups need no tombstones. */
    private void shiftBack(int hole, int mask) {
        int slot = (hole + 1) & mask;
        while (table[slot] != null) {
            OwnershipRef entry = table[slot];
            int home = slot(entry.uidHigh, entry.uidLow, mask);
            // the entry may fill the hole unless its home lies cyclically in (hole, slot]
            boolean stays = hole <= slot ? (home > hole && home <= slot) : (home > hole || home <= slot);
            if (!stays) {
                table[hole] = entry;
                table[slot] = null;
                hole = slot;
            }
            slot = (slot + 1) & mask;
        }
    }

    private static int slot(long high, long low, int mask) {
        long mixed = (high ^ Long.rotateLeft(low, 29)) * 0x9E3779B97F4A7C15L;
        return (int) (mixed >>> 40) & mask;
    }

    private static IndexedObject view(OwnershipRef entry) {
        return new IndexedObject(entry.type, entry.uid(), entry.namespace == null ? "" : entry.namespace, entry.name(),
                version(entry));
    }

    private static String version(OwnershipRef entry) {
        return entry.textVersion != null ? entry.textVersion : Long.toString(entry.version);
    }

    private static void setVersion(OwnershipRef entry, String resourceVersion) {
        entry.textVersion = null;
        if (!resourceVersion.isEmpty() && resourceVersion.length() < 19 && resourceVersion.chars().allMatch(Character::isDigit)
                && (resourceVersion.length() == 1 || resourceVersion.charAt(0) != '0')) {
            entry.version = Long.parseLong(resourceVersion);
        } else {
            entry.textVersion = resourceVersion;
        }
    }

    /** The 128 bits an object is keyed by: its uid's, else those of its record key. */
    private static UidBits bits(RecordKey key, String uid) {
        return UidBits.of(uid.isEmpty() ? key.value() : uid);
    }
}
