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
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every object of the test cluster, by type. Thread-safe; a change is visible to the next request.
 * Storing a CustomResourceDefinition makes its types served; deleting it removes them and their objects.
 */
public final class ObjectStore {

    private static final TypeKey CRDS = new TypeKey("apiextensions.k8s.io", "customresourcedefinitions");

    private final Catalog catalog;
    private final Map<TypeKey, TypeStore> types = new ConcurrentHashMap<>();
    private final AtomicLong resourceVersion = new AtomicLong(1000);

    /** An empty store serving the types of {@code catalog}. */
    public ObjectStore(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Creates or replaces an object, found by apiVersion, kind, namespace and name. Fills
     * {@code metadata.uid} and {@code metadata.creationTimestamp} when missing and always gives the
     * object a new {@code metadata.resourceVersion}, as a real server does on every write. The argument
     * is not modified.
     *
     * @throws IllegalArgumentException when no served type has that apiVersion and kind, or the name is missing
     */
    public void put(ObjectNode object) {
        String apiVersion = object.path("apiVersion").asString("");
        String kind = object.path("kind").asString("");
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        ApiResource type = catalog.byKind(group, version, kind).orElseThrow(() -> new IllegalArgumentException(
                "no served type has apiVersion \"" + apiVersion + "\" and kind \"" + kind + "\""));
        ObjectNode copy = object.deepCopy();
        copy.remove("apiVersion");
        copy.remove("kind");
        JsonNode existingMetadata = copy.path("metadata");
        ObjectNode metadata = existingMetadata instanceof ObjectNode m ? m : copy.putObject("metadata");
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
        if (metadata.path("uid").asString("").isEmpty()) {
            metadata.put("uid", UUID.randomUUID().toString());
        }
        if (metadata.path("creationTimestamp").asString("").isEmpty()) {
            metadata.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        metadata.put("resourceVersion", Long.toString(resourceVersion.incrementAndGet()));
        Map<String, String> labels = new HashMap<>();
        metadata.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString("")));
        StoredObject stored = new StoredObject(StoredObject.key(namespace, name), namespace, name,
                metadata.path("uid").asString(), labels, Json.MAPPER.writeValueAsBytes(copy));
        if (type.key().equals(CRDS)) {
            CustomTypes.fromDefinition(copy).ifPresent(catalog::register);
        }
        types.computeIfAbsent(type.key(), k -> new TypeStore()).put(stored);
    }

    /**
     * Deletes an object.
     *
     * @param group the API group, "" for the core group
     * @param namespace null for cluster-scoped objects
     * @return whether there was such an object
     */
    public boolean delete(String group, String resource, String namespace, String name) {
        TypeKey key = new TypeKey(group, resource);
        TypeStore store = types.get(key);
        if (store == null) {
            return false;
        }
        Optional<ObjectNode> crd = key.equals(CRDS) ? get(group, resource, null, name) : Optional.empty();
        boolean removed = store.remove(StoredObject.key(namespace, name));
        resourceVersion.incrementAndGet();
        crd.flatMap(definition -> CustomTypes.fromDefinition(definition)).ifPresent(custom -> {
            catalog.unregister(custom.key());
            types.remove(custom.key());
        });
        return removed;
    }

    /** The uids of every object of a type. */
    public Set<String> uids(String group, String resource) {
        Set<String> uids = new LinkedHashSet<>();
        type(new TypeKey(group, resource)).all().forEach(object -> uids.add(object.uid()));
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
        return store != null ? store : new TypeStore();
    }

    /** The current resourceVersion of the whole store, as list responses report it. */
    public long resourceVersion() {
        return resourceVersion.get();
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
