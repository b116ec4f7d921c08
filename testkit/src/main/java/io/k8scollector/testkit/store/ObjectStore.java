package io.k8scollector.testkit.store;

import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.catalog.ApiResource;
import io.k8scollector.testkit.catalog.Catalog;
import io.k8scollector.testkit.catalog.CustomTypes;
import io.k8scollector.testkit.catalog.TypeKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every object of the test cluster, by type, and its recent changes for watches. Thread-safe; a change
 * is visible to the next request. One revision counter orders every change of the whole store, as
 * etcd's does: each write takes the next revision, which becomes the object's {@code resourceVersion}.
 * Storing a CustomResourceDefinition makes its types served; deleting it removes them and their objects.
 */
public final class ObjectStore {

    private static final Set<String> TYPE_FIELDS = Set.of("apiVersion", "kind", "metadata");
    private static final TypeKey NAMESPACES = new TypeKey("", "namespaces");
    private static final TypeKey CRDS = new TypeKey("apiextensions.k8s.io", "customresourcedefinitions");

    /** How many changes of each type the store keeps for watches unless told otherwise. */
    public static final int DEFAULT_HISTORY_EVENTS = 10_000;

    private final Catalog catalog;
    private final int historyEvents;
    private final Map<TypeKey, TypeStore> types = new ConcurrentHashMap<>();
    /** The revision of the last change; written under this store's lock. */
    private long revision = 1000;
    /** The revision of the last change whose writes are all done, which readers may rely on. */
    private volatile long committed = revision;
    private volatile long compacted;

    /** An empty store serving the types of {@code catalog}, keeping the default history. */
    public ObjectStore(Catalog catalog) {
        this(catalog, DEFAULT_HISTORY_EVENTS);
    }

    /**
     * An empty store serving the types of {@code catalog}.
     *
     * @param historyEvents how many changes of each type watches can replay; older ones answer 410 Gone
     */
    public ObjectStore(Catalog catalog, int historyEvents) {
        if (historyEvents < 1) {
            throw new IllegalArgumentException("the watch history must keep 1 event or more, not " + historyEvents);
        }
        this.catalog = catalog;
        this.historyEvents = historyEvents;
    }

    /**
     * Creates or replaces an object, found by apiVersion, kind, namespace and name. Fills
     * {@code metadata.uid} and {@code metadata.creationTimestamp} when missing (from the object it
     * replaces, if any, else new ones) and always gives the
     * object a new {@code metadata.resourceVersion}, as a real server does on every write. The argument
     * is not modified.
     *
     * @throws IllegalArgumentException when no served type has that apiVersion and kind, or the name is missing
     */
    public synchronized void put(ObjectNode object) {
        String apiVersion = object.path("apiVersion").asString("");
        String kind = object.path("kind").asString("");
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        ApiResource type = catalog.byKind(group, version, kind).orElseThrow(() -> new IllegalArgumentException(
                "no served type has apiVersion \"" + apiVersion + "\" and kind \"" + kind + "\""));
        // Only metadata is written to, so the rest is shared with the argument rather than copied.
        ObjectNode copy = Json.MAPPER.createObjectNode();
        ObjectNode metadata = object.path("metadata") instanceof ObjectNode given
                ? given.deepCopy()
                : Json.MAPPER.createObjectNode();
        copy.set("metadata", metadata);
        object.properties().forEach(property -> {
            if (!TYPE_FIELDS.contains(property.getKey())) {
                copy.putIfAbsent(property.getKey(), property.getValue());
            }
        });
        String name = metadata.path("name").asString("");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a " + kind + " needs metadata.name");
        }
        String namespace = null;
        if (type.namespaced()) {
            namespace = metadata.path("namespace").asString("");
            if (namespace.isEmpty()) {
                namespace = "default";
                metadata.put("namespace", namespace);
            }
        } else {
            metadata.remove("namespace");
        }
        if (metadata.path("uid").asString("").isEmpty() && !group.equals(LiveMetrics.GROUP)) {
            // An update keeps the identity of the object it replaces, as on a real server.
            Optional<StoredObject> existing = type(type.key()).get(StoredObject.key(namespace, name));
            if (existing.isPresent()) {
                metadata.put("uid", existing.get().uid());
                metadata.set("creationTimestamp",
                        Json.MAPPER.readTree(existing.get().body()).path("metadata").path("creationTimestamp"));
            } else {
                metadata.put("uid", UUID.randomUUID().toString());
            }
        }
        if (metadata.path("creationTimestamp").asString("").isEmpty()) {
            metadata.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        long change = ++revision;
        metadata.put("resourceVersion", Long.toString(change));
        Map<String, String> labels = new HashMap<>();
        metadata.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString("")));
        StoredObject stored = new StoredObject(StoredObject.key(namespace, name), namespace, name,
                metadata.path("uid").asString(null), labels, Json.MAPPER.writeValueAsBytes(copy));
        if (type.key().equals(CRDS)) {
            CustomTypes.fromDefinition(copy).ifPresent(catalog::register);
        }
        watchable(type.key()).put(stored, change);
        committed = change;
        if (LiveMetrics.mirrorOf(type.key()).isPresent()) {
            put(LiveMetrics.of(type.key(), copy));
        }
    }

    /**
     * Deletes an object; deleting a Namespace deletes every object in it, as the namespace controller
     * does.
     *
     * @param group the API group, "" for the core group
     * @param namespace null for cluster-scoped objects
     * @return whether there was such an object
     */
    public synchronized boolean delete(String group, String resource, String namespace, String name) {
        TypeKey key = new TypeKey(group, resource);
        TypeStore store = types.get(key);
        String objectKey = StoredObject.key(namespace, name);
        if (store == null || store.get(objectKey).isEmpty()) {
            return false;
        }
        Optional<ObjectNode> crd = key.equals(CRDS) ? get(group, resource, null, name) : Optional.empty();
        remove(store, objectKey);
        LiveMetrics.mirrorOf(key).map(types::get).ifPresent(metrics -> remove(metrics, objectKey));
        crd.flatMap(definition -> CustomTypes.fromDefinition(definition)).ifPresent(custom -> {
            TypeStore objects = types.remove(custom.key());
            if (objects != null) {
                for (StoredObject object : objects.sorted()) {
                    remove(objects, object.key());
                }
                objects.history().close();
            }
            catalog.unregister(custom.key());
        });
        if (key.equals(NAMESPACES)) {
            for (TypeStore objects : types.values()) {
                for (String inside : objects.keysIn(name)) {
                    remove(objects, inside);
                }
            }
        }
        return true;
    }

    private void remove(TypeStore store, String objectKey) {
        Optional<StoredObject> existing = store.get(objectKey);
        if (existing.isPresent()) {
            long change = ++revision;
            store.remove(existing.get().atResourceVersion(change), change);
            committed = change;
        }
    }

    /**
     * Forgets every change so far, as an etcd compaction does: a watch from an earlier resourceVersion
     * answers {@code 410 Gone}; lists and watches from now on are unaffected.
     */
    public synchronized void compact() {
        compacted = committed;
        types.values().forEach(objects -> objects.history().compact(compacted));
    }

    /**
     * The objects of a type in key order at one revision, taken between two changes: what a watch
     * without a resourceVersion starts with.
     */
    public synchronized Snapshot snapshot(TypeKey key) {
        return new Snapshot(committed, watchable(key).sorted());
    }

    /**
     * The objects of a type at one revision.
     *
     * @param revision the store's revision they are current at
     * @param objects in key order; shared, not to be modified
     */
    public record Snapshot(long revision, StoredObject[] objects) {}

    /**
     * Stores an object's body exactly as given, without parsing it, so that a test can serve what
     * no JSON library would write: an object nested thousands of levels deep, a giant number.
     * Lists serve it as any other object; {@link #get} cannot.
     *
     * @param body a JSON object without {@code apiVersion} and {@code kind}, starting with its
     *     opening brace
     * @throws IllegalArgumentException when the type is not served or the body is no object
     */
    public synchronized void putRaw(TypeKey type, String namespace, String name, String uid, byte[] body) {
        if (catalog.get(type).isEmpty()) {
            throw new IllegalArgumentException("no served type " + type);
        }
        if (body.length < 2 || body[0] != '{') {
            throw new IllegalArgumentException("a raw object body must be a JSON object, starting with '{'");
        }
        long change = ++revision;
        watchable(type).put(
                new StoredObject(StoredObject.key(namespace, name), namespace, name, uid, Map.of(), body.clone()), change);
        committed = change;
    }

    /** The uids of every object of a type (metrics, like the real ones, have none). */
    public Set<String> uids(String group, String resource) {
        Set<String> uids = new LinkedHashSet<>();
        for (StoredObject object : type(new TypeKey(group, resource)).all()) {
            if (object.uid() != null) {
                uids.add(object.uid());
            }
        }
        return uids;
    }

    /** How many objects of a type there are. */
    public int count(String group, String resource) {
        return type(new TypeKey(group, resource)).size();
    }

    /** One object as a GET returns it, with {@code apiVersion} (at the group's preferred version) and kind. */
    public Optional<ObjectNode> get(String group, String resource, String namespace, String name) {
        TypeKey key = new TypeKey(group, resource);
        Optional<ApiResource> type = catalog.get(key);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        return type(key).get(StoredObject.key(namespace, name)).map(object -> {
            ObjectNode full = Json.MAPPER.createObjectNode();
            full.put("apiVersion", type.get().apiVersion(preferredVersion(type.get())));
            full.put("kind", type.get().kind());
            full.setAll((ObjectNode) Json.MAPPER.readTree(object.body()));
            return full;
        });
    }

    /** The objects of a type; empty when there are none or the type is unknown. */
    public TypeStore type(TypeKey key) {
        TypeStore store = types.get(key);
        return store != null ? store : new TypeStore(1, compacted);
    }

    /** The objects of a served type, made when it has none yet, so that a watch sees its first change. */
    public TypeStore watchable(TypeKey key) {
        return types.computeIfAbsent(key, k -> new TypeStore(historyEvents, compacted));
    }

    /**
     * The current resourceVersion of the whole store, as list responses report it: every change up to
     * it is visible to reads and in the watch history.
     */
    public long resourceVersion() {
        return committed;
    }

    /** The types this store serves. */
    public Catalog catalog() {
        return catalog;
    }

    private String preferredVersion(ApiResource type) {
        String preferred = catalog.group(type.group()).map(g -> g.preferredVersion()).orElse("v1");
        return type.versions().contains(preferred) ? preferred : type.versions().get(0);
    }
}
