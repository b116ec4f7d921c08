package io.k8scollector.collector.shipping;

/**
 * A set of 64-bit key hashes in one array (open addressing, linear probing, at most half full):
 * 8 to 16 bytes a key where a {@code Set<Long>} took about 56 (a node and a boxed long each), for
 * the keys of every record a full fetching hands over (100k pods and more). The sink only counts
 * them, so the set adds and sizes; {@link #clear} gives the array back. Thread-safe.
 */
final class KeyHashes {

    private static final int INITIAL_CAPACITY = 64;
    /** Fibonacci hashing's multiplier: spreads hashes that differ only in their high bits. */
    private static final long SPREAD = 0x9E3779B97F4A7C15L;

    /** 0 marks a free slot; the hash 0 itself is {@link #hasZero}. */
    private long[] slots = new long[INITIAL_CAPACITY];
    private int shift = 64 - Integer.numberOfTrailingZeros(INITIAL_CAPACITY);
    private int size;
    private boolean hasZero;

    /** Adds {@code hash}; whether it was not there yet. */
    synchronized boolean add(long hash) {
        if (hash == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if (insert(slots, shift, hash)) {
            size++;
            if (size * 2 > slots.length) {
                grow();
            }
            return true;
        }
        return false;
    }

    /** How many distinct hashes were added since the last {@link #clear}. */
    synchronized int size() {
        return size + (hasZero ? 1 : 0);
    }

    synchronized void clear() {
        slots = new long[INITIAL_CAPACITY];
        shift = 64 - Integer.numberOfTrailingZeros(INITIAL_CAPACITY);
        size = 0;
        hasZero = false;
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        int biggerShift = shift - 1;
        for (long hash : slots) {
            if (hash != 0) {
                insert(bigger, biggerShift, hash);
            }
        }
        slots = bigger;
        shift = biggerShift;
    }

    private static boolean insert(long[] table, int shift, long hash) {
        int mask = table.length - 1;
        for (int i = (int) ((hash * SPREAD) >>> shift); ; i = (i + 1) & mask) {
            if (table[i] == hash) {
                return false;
            }
            if (table[i] == 0) {
                table[i] = hash;
                return true;
            }
        }
    }
}
