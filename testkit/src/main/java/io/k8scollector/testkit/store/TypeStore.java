package io.k8scollector.testkit.store;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/** The objects of one resource type, in key order. Thread-safe; a list sees each change or not at all. */
public final class TypeStore {

    private final ConcurrentSkipListMap<String, StoredObject> objects = new ConcurrentSkipListMap<>();

    void put(StoredObject object) {
        objects.put(object.key(), object);
    }

    boolean remove(String key) {
        return objects.remove(key) != null;
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
        return List.copyOf(objects.values());
    }

    /**
     * One page of a list.
     *
     * @param namespace only objects of this namespace, or all when null
     * @param filter the selectors, applied to each object
     * @param afterKey start after this key (from a continue token), or from the start when null
     * @param limit the most items to return; 0 or less for no limit
     */
    public Page page(String namespace, Predicate<StoredObject> filter, String afterKey, int limit) {
        NavigableMap<String, StoredObject> range = namespace == null
                ? objects
                : objects.subMap(namespace + "/", true, namespace + "/\uffff", true);
        if (afterKey != null) {
            range = range.tailMap(afterKey, false);
        }
        List<StoredObject> items = new ArrayList<>();
        String lastKey = null;
        long remaining = 0;
        for (StoredObject object : range.values()) {
            if (!filter.test(object)) {
                continue;
            }
            if (limit > 0 && items.size() >= limit) {
                remaining++;
            } else {
                items.add(object);
                lastKey = object.key();
            }
        }
        return new Page(items, lastKey, remaining);
    }

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
