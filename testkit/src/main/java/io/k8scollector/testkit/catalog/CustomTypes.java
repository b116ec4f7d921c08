package io.k8scollector.testkit.catalog;

import io.k8scollector.testkit.catalog.ApiResource.Subresource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Reads the type a CustomResourceDefinition defines, as the real server serves it. */
public final class CustomTypes {

    private CustomTypes() {}

    /**
     * The type of a CRD (the object, with or without apiVersion and kind), served in the versions marked
     * {@code served}, highest priority first; empty when it serves none or lacks its names.
     */
    public static Optional<ApiResource> fromDefinition(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        String group = spec.path("group").asString("");
        String plural = names.path("plural").asString("");
        String kind = names.path("kind").asString("");
        List<String> versions = new ArrayList<>();
        List<Subresource> subresources = new ArrayList<>();
        for (JsonNode version : spec.path("versions")) {
            if (!version.path("served").asBoolean(false)) {
                continue;
            }
            versions.add(version.path("name").asString());
            JsonNode sub = version.path("subresources");
            if (sub.has("status") && subresources.stream().noneMatch(s -> s.name().equals("status"))) {
                subresources.add(Subresource.status(kind));
            }
            if (sub.has("scale") && subresources.stream().noneMatch(s -> s.name().equals("scale"))) {
                subresources.add(Subresource.scale());
            }
        }
        if (group.isEmpty() || plural.isEmpty() || kind.isEmpty() || versions.isEmpty()) {
            return Optional.empty();
        }
        versions.sort(VersionPriority.ORDER);
        String singular = names.path("singular").asString("");
        return Optional.of(new ApiResource(group, versions, plural,
                singular.isEmpty() ? kind.toLowerCase(java.util.Locale.ROOT) : singular, kind,
                !"Cluster".equals(spec.path("scope").asString("")), ApiResource.STORED_VERBS,
                strings(names.path("shortNames")), strings(names.path("categories")), subresources, true));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }
}
