package io.k8scollector.testkit.store;

import java.util.ArrayList;
import java.util.List;

/**
 * The most recent changes of one type, in revision order, in a ring of fixed size: what a watch from
 * an older resourceVersion replays. Events that fall out of the ring, or are compacted away, make
 * watches from before them answer {@code 410 Gone}, as etcd does after a compaction. Thread-safe;
 * readers wait here for the next change.
 */
public final class WatchHistory {

    private final int capacity;
    /** Grows up to {@code capacity}, so that the many types with few changes cost little. */
    private WatchEvent[] ring;
    private int start;
    private int size;
    private long forgottenUpTo;
    private boolean closed;

    WatchHistory(int capacity, long forgottenUpTo) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the watch history must keep 1 event or more, not " + capacity);
        }
        this.capacity = capacity;
        this.ring = new WatchEvent[Math.min(capacity, 16)];
        this.forgottenUpTo = forgottenUpTo;
    }

    synchronized void append(WatchEvent event) {
        if (size == ring.length && ring.length < capacity) {
            WatchEvent[] larger = new WatchEvent[(int) Math.min(capacity, 2L * ring.length)];
            for (int i = 0; i < size; i++) {
                larger[i] = ring[(start + i) % ring.length];
            }
            ring = larger;
            start = 0;
        }
        if (size == ring.length) {
            forgottenUpTo = ring[start].revision();
            ring[start] = null;
            start = (start + 1) % ring.length;
            size--;
        }
        ring[(start + size) % ring.length] = event;
        size++;
        notifyAll();
    }

    /** Forgets every event up to {@code revision}, as an etcd compaction does. */
    synchronized void compact(long revision) {
        while (size > 0 && ring[start].revision() <= revision) {
            ring[start] = null;
            start = (start + 1) % ring.length;
            size--;
        }
        forgottenUpTo = Math.max(forgottenUpTo, revision);
        notifyAll();
    }

    /** Ends every watch of the type, which is no longer served. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /**
     * The events after {@code revision}, at most {@code max}, waiting up to {@code waitMillis} for one
     * when there are none yet.
     */
    public synchronized Batch after(long revision, int max, long waitMillis) throws InterruptedException {
        if (revision < forgottenUpTo) {
            return new Batch(List.of(), true, closed, forgottenUpTo);
        }
        if (!closed && waitMillis > 0 && (size == 0 || ring[(start + size - 1) % ring.length].revision() <= revision)) {
            wait(waitMillis);
            if (revision < forgottenUpTo) {
                return new Batch(List.of(), true, closed, forgottenUpTo);
            }
        }
        int low = 0;
        int high = size;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (ring[(start + middle) % ring.length].revision() <= revision) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        List<WatchEvent> events = new ArrayList<>(Math.min(max, size - low));
        for (int i = low; i < size && events.size() < max; i++) {
            events.add(ring[(start + i) % ring.length]);
        }
        return new Batch(events, false, closed && events.isEmpty(), forgottenUpTo);
    }

    /**
     * What a watch reads in one go.
     *
     * @param events the next events, in revision order
     * @param gone whether the revision asked for is older than the history kept
     * @param closed whether the type is no longer served and every event was read
     * @param forgottenUpTo the newest revision that may have been forgotten
     */
    public record Batch(List<WatchEvent> events, boolean gone, boolean closed, long forgottenUpTo) {

        public Batch {
            events = List.copyOf(events);
        }
    }
}
