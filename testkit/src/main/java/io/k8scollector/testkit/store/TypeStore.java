package io.k8scollector.testkit.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The objects of one resource type, in key order, and their recent changes. Thread-safe; the
 * {@link ObjectStore} writes one change at a time. Lists read a sorted snapshot that is made again
 * only after a change, so paging through a large type costs a binary search and a copy per page, and
 * each page sees each change or not at all.
 */
public final class TypeStore {

    private final ConcurrentSkipListMap<String, StoredObject> objects = new ConcurrentSkipListMap<>();
    private final AtomicLong changes = new AtomicLong();
    private final WatchHistory history;
    private volatile Snapshot snapshot = new Snapshot(0, new StoredObject[0]);

    TypeStore(int historyEvents, long forgottenUpTo) {
        this.history = new WatchHistory(historyEvents, forgottenUpTo);
    }

    void put(StoredObject object, long revision) {
        StoredObject previous = objects.put(object.key(), object);
        changes.incrementAndGet();
        history.append(new WatchEvent(previous == null ? WatchEvent.Type.ADDED : WatchEvent.Type.MODIFIED,
                revision, object, previous));
    }

    /**
     * Removes an object.
     *
     * @param last the object's last state, at the deletion's revision, as the DELETED event carries it
     */
    void remove(StoredObject last, long revision) {
        StoredObject previous = objects.remove(last.key());
        changes.incrementAndGet();
        history.append(new WatchEvent(WatchEvent.Type.DELETED, revision, last, previous));
    }

    /** The keys of the objects in a namespace. */
    List<String> keysIn(String namespace) {
        return List.copyOf(objects.subMap(namespace + "/", namespace + "/\uffff").keySet());
    }

    /** The changes a watch replays. */
    public WatchHistory history() {
        return history;
    }

    /** The object under that key, if any. */
    public Optional<StoredObject> get(String key) {
        return Optional.ofNullable(objects.get(key));
    }

    /** How many objects it holds. */
    public int size() {
        return objects.size();
    }

    /** Every object, in key order. */
    public List<StoredObject> all() {
        return List.of(sorted());
    }

    /**
     * One page of a list.
     *
     * @param namespace only objects of this namespace, or all when null
     * @param filter the selectors, applied to each object; null for every object
     * @param afterKey start after this key (from a continue token), or from the start when null
     * @param limit the most items to return; 0 or less for no limit
     */
    public Page page(String namespace, Predicate<StoredObject> filter, String afterKey, int limit) {
        StoredObject[] all = sorted();
        int from = 0;
        int to = all.length;
        if (namespace != null) {
            from = firstAtOrAfter(all, namespace + "/");
            to = firstAtOrAfter(all, namespace + "/\uffff");
        }
        if (afterKey != null) {
            from = Math.max(from, firstAtOrAfter(all, afterKey + "\0"));
        }
        List<StoredObject> items = new ArrayList<>(limit > 0 ? Math.min(limit, 1024) : 16);
        int index = from;
        for (; index < to && (limit <= 0 || items.size() < limit); index++) {
            if (filter == null || filter.test(all[index])) {
                items.add(all[index]);
            }
        }
        long remaining = 0;
        if (filter == null) {
            remaining = to - index;
        } else {
            for (; index < to; index++) {
                if (filter.test(all[index])) {
                    remaining++;
                }
            }
        }
        return new Page(items, items.isEmpty() ? afterKey : items.get(items.size() - 1).key(), remaining);
    }

    /** Every object in key order, shared with later readers: not to be modified. */
    StoredObject[] sorted() {
        // Read the change count first: a snapshot made while a write lands is labelled as older and
        // made again by the next reader.
        long seen = changes.get();
        Snapshot current = snapshot;
        if (current.changes() != seen) {
            current = new Snapshot(seen, objects.values().toArray(new StoredObject[0]));
            snapshot = current;
        }
        return current.objects();
    }

    private static int firstAtOrAfter(StoredObject[] sorted, String key) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle].key().compareTo(key) < 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private record Snapshot(long changes, StoredObject[] objects) {}

    /**
     * A page of objects.
     *
     * @param items the objects, in key order
     * @param lastKey the key of the last item, where the next page starts after
     * @param remaining how many matching objects follow this page
     */
    public record Page(List<StoredObject> items, String lastKey, long remaining) {

        public Page {
            items = List.copyOf(items);
        }
    }
}
