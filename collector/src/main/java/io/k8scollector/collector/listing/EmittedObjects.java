package io.k8scollector.collector.listing;

import io.k8scollector.collector.UidBits;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The objects a listing has emitted, so that a restart emits none twice. A uid in the canonical
 * UUID form (every uid a real API server gives) is kept as its 128 bits ({@link UidBits}) in an open-addressing
 * table, 32 bytes or less per object, a fraction of what a set of strings takes, which at 100k Pods
 * was most of the collector's growth in resident memory (docs/benchmarks.md). Anything else (an object without a uid,
 * named by namespace and name) is kept as its text. Not thread-safe: one per listing.
 */
final class EmittedObjects {

    private static final int INITIAL_SLOTS = 1024;

    /** Pairs of longs, high then low; a pair of zeros is an empty slot (the nil UUID has its own flag). */
    private long[] slots = new long[2 * INITIAL_SLOTS];
    private int uuids;
    private boolean nilUuid;
    private final Set<String> others = new HashSet<>();

    /** Adds the object of {@code identity}; false when it was emitted already. */
    boolean add(String identity) {
        Optional<UidBits> uid = UidBits.canonical(identity);
        if (uid.isEmpty()) {
            return others.add(identity);
        }
        long high = uid.get().high();
        long low = uid.get().low();
        if (high == 0 && low == 0) {
            boolean added = !nilUuid;
            nilUuid = true;
            return added;
        }
        if (2 * (uuids + 1) > slots.length / 2) {
            grow();
        }
        if (!insert(slots, high, low)) {
            return false;
        }
        uuids++;
        return true;
    }

    /** Number of objects emitted. */
    int size() {
        return uuids + (nilUuid ? 1 : 0) + others.size();
    }

    private static boolean insert(long[] table, long high, long low) {
        int mask = table.length / 2 - 1;
        int slot = Long.hashCode(high * 31 + low) * 0x9E3779B9 & mask;
        while (table[2 * slot] != 0 || table[2 * slot + 1] != 0) {
            if (table[2 * slot] == high && table[2 * slot + 1] == low) {
                return false;
            }
            slot = slot + 1 & mask;
        }
        table[2 * slot] = high;
        table[2 * slot + 1] = low;
        return true;
    }

    private void grow() {
        long[] larger = new long[slots.length * 2];
        for (int i = 0; i < slots.length; i += 2) {
            if (slots[i] != 0 || slots[i + 1] != 0) {
                insert(larger, slots[i], slots[i + 1]);
            }
        }
        slots = larger;
    }
}
