package io.k8scollector.collector.listing;

import java.util.HashSet;
import java.util.Set;

/**
 * The objects a listing has emitted, so that a restart emits none twice. A uid in the canonical
 * UUID form (every uid a real API server gives) is kept as its 128 bits in an open-addressing
 * table, 32 bytes or less per object, where a set of strings took about 130: at 100k Pods that was
 * most of the collector's growth in resident memory. Anything else (an object without a uid,
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
        if (!isUuid(identity)) {
            return others.add(identity);
        }
        long high = hex(identity, 0, 8) << 32 | hex(identity, 9, 13) << 16 | hex(identity, 14, 18);
        long low = hex(identity, 19, 23) << 48 | hex(identity, 24, 36);
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

    /** 8-4-4-4-12 lower-case hex digits: the form the API server gives uids in. */
    private static boolean isUuid(String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The value of the hex digits from {@code from} to {@code to}, a range without a dash. */
    private static long hex(String text, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            value = value << 4 | Character.digit(text.charAt(i), 16);
        }
        return value;
    }
}
