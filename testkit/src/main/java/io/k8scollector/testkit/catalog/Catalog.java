package io.k8scollector.testkit.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resource types the test cluster serves: the built-in ones, fixed, and the custom ones, which
 * appear and disappear with their CustomResourceDefinitions. Thread-safe.
 */
public final class Catalog {

    private final Map<TypeKey, ApiResource> builtIn;
    private final Map<TypeKey, ApiResource> custom = new ConcurrentHashMap<>();

    /** A catalog with the built-in types and no custom ones. */
    public Catalog() {
        Map<TypeKey, ApiResource> types = new LinkedHashMap<>();
        BuiltInTypes.types().forEach(type -> types.put(type.key(), type));
        builtIn = java.util.Collections.unmodifiableMap(types);
    }

    /** Adds or replaces a custom type (its CRD was stored). */
    public void register(ApiResource type) {
        custom.put(type.key(), type);
    }

    /** Removes a custom type (its CRD was deleted); built-in types stay. */
    public void unregister(TypeKey key) {
        custom.remove(key);
    }

    /**
     * The groups other than the core one, in discovery order: built-in groups, then custom groups by
     * name, then the aggregated metrics group.
     */
    public List<ApiGroup> groups() {
        List<ApiGroup> groups = new ArrayList<>();
        BuiltInTypes.GROUPS.forEach((name, versions) -> {
            if (!name.equals(BuiltInTypes.METRICS)) {
                groups.add(new ApiGroup(name, versions));
            }
        });
        Map<String, TreeSet<String>> customVersions = new java.util.TreeMap<>();
        for (ApiResource type : custom.values()) {
            customVersions.computeIfAbsent(type.group(), g -> new TreeSet<>(VersionPriority.ORDER))
                    .addAll(type.versions());
        }
        customVersions.forEach((name, versions) -> groups.add(new ApiGroup(name, List.copyOf(versions))));
        groups.add(new ApiGroup(BuiltInTypes.METRICS, BuiltInTypes.GROUPS.get(BuiltInTypes.METRICS)));
        return groups;
    }

    /** The group of that name, if served. */
    public Optional<ApiGroup> group(String name) {
        return groups().stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** The types served at {@code group/version}, in name order; empty when the version is not served. */
    public List<ApiResource> resources(String group, String version) {
        List<ApiResource> served = new ArrayList<>();
        for (ApiResource type : all()) {
            if (type.group().equals(group) && type.versions().contains(version)) {
                served.add(type);
            }
        }
        served.sort(java.util.Comparator.comparing(ApiResource::name));
        return served;
    }

    /** The type named {@code resource} served at {@code group/version}. */
    public Optional<ApiResource> find(String group, String version, String resource) {
        ApiResource type = lookup(new TypeKey(group, resource));
        return type != null && type.versions().contains(version) ? Optional.of(type) : Optional.empty();
    }

    /** The type of objects of {@code kind} at {@code group/version}. */
    public Optional<ApiResource> byKind(String group, String version, String kind) {
        return all().stream()
                .filter(t -> t.group().equals(group) && t.kind().equals(kind) && t.versions().contains(version))
                .findFirst();
    }

    /** The type stored under {@code key}, built-in or custom. */
    public Optional<ApiResource> get(TypeKey key) {
        return Optional.ofNullable(lookup(key));
    }

    private ApiResource lookup(TypeKey key) {
        ApiResource type = builtIn.get(key);
        return type != null ? type : custom.get(key);
    }

    private List<ApiResource> all() {
        List<ApiResource> all = new ArrayList<>(builtIn.values());
        all.addAll(custom.values());
        return all;
    }

    /**
     * A group with its versions, the preferred one first.
     *
     * @param name the group name
     * @param versions served versions, in priority order
     */
    public record ApiGroup(String name, List<String> versions) {

        public ApiGroup {
            versions = List.copyOf(versions);
        }

        /** The version clients should use when a resource is served in several. */
        public String preferredVersion() {
            return versions.get(0);
        }
    }
}
