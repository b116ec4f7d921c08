package io.k8scollector.collector.tracking;

import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.RecordKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes seen since the last delta, waiting for the next flush: one per record key, the latest
 * winning (an object modified ten times is sent once; one added then deleted is sent as its
 * deletion, so that a delta never both sends and deletes a key). Held against a byte budget
 * ({@code collector.maxPendingMb}): past it the changes are not kept and {@link #overflowed()}
 * says so; the caller then drops what is pending ({@link #dropAll()}) and, once the endpoint
 * answers again, resyncs (lists again and sends the differences). Thread-safe.
 *
 * <p>A change's bytes are its record's bytes plus {@value #ENTRY_OVERHEAD_BYTES} for its key and
 * bookkeeping, a rough count that errs on the high side.
 */
public final class PendingChanges {

    /** What one pending change costs besides its record: its key text, map entry and holder. */
    static final int ENTRY_OVERHEAD_BYTES = 160;

    private final long maxBytes;
    private final Map<RecordKey, Change> changes = new LinkedHashMap<>();
    private long bytes;
    private boolean overflowed;

    /** A budget of {@code maxBytes} (more than 0). */
    public PendingChanges(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the pending budget must be at least one byte, not " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /**
     * A record to send ({@code record}: its redacted bytes as they go in a page), replacing whatever
     * was pending for {@code key}.
     *
     * @param seen when its change was seen; the oldest pending change of a key keeps its time
     * @return false when the budget is spent: nothing was kept
     */
    public synchronized boolean upsert(RecordKey key, byte[] record, Instant seen) {
        return offer(key, record, null, seen);
    }

    /**
     * A deletion to send, replacing whatever was pending for its key.
     *
     * @return false when the budget is spent: nothing was kept
     */
    public synchronized boolean delete(Deletion deletion, Instant seen) {
        return offer(deletion.key(), null, deletion, seen);
    }

    private boolean offer(RecordKey key, byte[] record, Deletion deletion, Instant seen) {
        if (overflowed) {
            return false;
        }
        Change previous = changes.get(key);
        Change change = new Change(key, record, deletion, previous == null ? seen : previous.seen());
        long grown = change.bytes() - (previous == null ? 0 : previous.bytes());
        if (bytes + grown > maxBytes) {
            overflowed = true;
            return false;
        }
        // an existing key keeps its place: changes go out in the order their keys first changed
        changes.put(key, change);
        bytes += grown;
        return true;
    }

    /** Takes every pending change, in the order their keys first changed, leaving none. */
    public synchronized Batch drain() {
        List<Change> upserts = new ArrayList<>();
        List<Change> deletions = new ArrayList<>();
        for (Change change : changes.values()) {
            (change.deletion() == null ? upserts : deletions).add(change);
        }
        changes.clear();
        bytes = 0;
        return new Batch(upserts, deletions);
    }

    /**
     * Puts back the changes of {@code batch}, which could not be shipped, except where a newer
     * change of the same key is pending now (it wins); each keeps its first {@code seen} time.
     *
     * @return false when the budget is spent: not every change was kept
     */
    public synchronized boolean putBack(Batch batch) {
        boolean kept = true;
        for (List<Change> changes : List.of(batch.upserts(), batch.deletions())) {
            for (Change change : changes) {
                Change newer = this.changes.get(change.key());
                if (newer == null) {
                    kept &= offer(change.key(), change.record(), change.deletion(), change.seen());
                } else if (change.seen().isBefore(newer.seen())) {
                    this.changes.put(change.key(), new Change(newer.key(), newer.record(), newer.deletion(), change.seen()));
                }
            }
        }
        return kept;
    }

    /** Forgets every pending change and the overflow, as the caller starts a resync. */
    public synchronized void dropAll() {
        changes.clear();
        bytes = 0;
        overflowed = false;
    }

    /** Whether a change was refused for the budget since the last {@link #dropAll()}. */
    public synchronized boolean overflowed() {
        return overflowed;
    }

    /** Changes pending (the {@code pending_objects} gauge). */
    public synchronized int size() {
        return changes.size();
    }

    /** Bytes pending, as counted against the budget. */
    public synchronized long bytes() {
        return bytes;
    }

    /**
     * One pending change.
     *
     * @param record the record to send, or null for a deletion
     * @param deletion the deletion to send, or null for a record
     * @param seen when the oldest change of this key still pending was seen
     */
    public record Change(RecordKey key, byte[] record, Deletion deletion, Instant seen) {

        long bytes() {
            return (record == null ? 0 : record.length) + key.value().length() + ENTRY_OVERHEAD_BYTES;
        }
    }

    /**
     * What a flush takes.
     *
     * @param upserts records to send, in the order their keys first changed
     * @param deletions deletions to send, likewise
     */
    public record Batch(List<Change> upserts, List<Change> deletions) {

        /** Nothing: what a heartbeat carries. */
        public static final Batch EMPTY = new Batch(List.of(), List.of());

        public Batch {
            upserts = List.copyOf(upserts);
            deletions = List.copyOf(deletions);
        }

        public boolean isEmpty() {
            return upserts.isEmpty() && deletions.isEmpty();
        }

        /** When the oldest change in this batch was seen (the start of its commit lag), or null when empty. */
        public Instant oldestSeen() {
            Instant oldest = null;
            for (List<Change> changes : List.of(upserts, deletions)) {
                for (Change change : changes) {
                    if (oldest == null || change.seen().isBefore(oldest)) {
                        oldest = change.seen();
                    }
                }
            }
            return oldest;
        }
    }
}
