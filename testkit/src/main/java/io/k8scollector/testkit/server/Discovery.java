package io.k8scollector.testkit.server;

import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.catalog.ApiResource;
import io.k8scollector.testkit.catalog.ApiResource.Subresource;
import io.k8scollector.testkit.catalog.Catalog;
import io.k8scollector.testkit.catalog.Catalog.ApiGroup;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The discovery documents, in the unaggregated form ({@code application/json}) that every client
 * understands: {@code /version}, {@code /api}, {@code /apis}, {@code /apis/{group}} and the
 * APIResourceLists of {@code /api/v1} and {@code /apis/{group}/{version}}.
 */
final class Discovery {

    private final Catalog catalog;
    private final String serverAddress;

    Discovery(Catalog catalog, String serverAddress) {
        this.catalog = catalog;
        this.serverAddress = serverAddress;
    }

    static byte[] version() {
        ObjectNode version = Json.MAPPER.createObjectNode();
        version.put("major", "1");
        version.put("minor", "35");
        version.put("emulationMajor", "1");
        version.put("emulationMinor", "35");
        version.put("minCompatibilityMajor", "1");
        version.put("minCompatibilityMinor", "34");
        version.put("gitVersion", "v1.35.0");
        version.put("gitCommit", "66452049f3d692768c39c797b21b793dce80314e");
        version.put("gitTreeState", "clean");
        version.put("buildDate", "2025-12-17T12:32:06Z");
        version.put("goVersion", "go1.25.5");
        version.put("compiler", "gc");
        version.put("platform", "linux/amd64");
        return Json.MAPPER.writeValueAsBytes(version);
    }

    byte[] apiVersions() {
        ObjectNode versions = Json.MAPPER.createObjectNode();
        versions.put("kind", "APIVersions");
        versions.putArray("versions").add("v1");
        addressByCidr(versions);
        return Json.MAPPER.writeValueAsBytes(versions);
    }

    byte[] groupList() {
        ObjectNode list = Json.MAPPER.createObjectNode();
        list.put("kind", "APIGroupList");
        list.put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        catalog.groups().forEach(group -> groups.add(group(group)));
        return Json.MAPPER.writeValueAsBytes(list);
    }

    byte[] group(String name) {
        ObjectNode group = group(catalog.group(name).orElseThrow());
        group.put("kind", "APIGroup");
        group.put("apiVersion", "v1");
        return Json.MAPPER.writeValueAsBytes(group);
    }

    byte[] resourceList(String group, String version) {
        ObjectNode list = Json.MAPPER.createObjectNode();
        list.put("kind", "APIResourceList");
        list.put("apiVersion", "v1");
        list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode resources = list.putArray("resources");
        for (ApiResource type : catalog.resources(group, version)) {
            ObjectNode resource = resources.addObject();
            resource.put("name", type.name());
            resource.put("singularName", type.singularName());
            resource.put("namespaced", type.namespaced());
            resource.put("kind", type.kind());
            strings(resource.putArray("verbs"), type.verbs());
            if (!type.shortNames().isEmpty()) {
                strings(resource.putArray("shortNames"), type.shortNames());
            }
            if (!type.categories().isEmpty()) {
                strings(resource.putArray("categories"), type.categories());
            }
            List<Subresource> subresources = type.subresources().stream()
                    .sorted(Comparator.comparing(Subresource::name)).toList();
            for (Subresource sub : subresources) {
                ObjectNode entry = resources.addObject();
                entry.put("name", type.name() + "/" + sub.name());
                entry.put("singularName", "");
                entry.put("namespaced", type.namespaced());
                if (!sub.group().isEmpty()) {
                    entry.put("group", sub.group());
                    entry.put("version", sub.version());
                }
                entry.put("kind", sub.kind());
                strings(entry.putArray("verbs"), sub.verbs());
            }
        }
        return Json.MAPPER.writeValueAsBytes(list);
    }

    private ObjectNode group(ApiGroup group) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("name", group.name());
        ArrayNode versions = node.putArray("versions");
        for (String version : group.versions()) {
            versions.add(groupVersion(group.name(), version));
        }
        node.set("preferredVersion", groupVersion(group.name(), group.preferredVersion()));
        return node;
    }

    private ObjectNode groupVersion(String group, String version) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("groupVersion", group + "/" + version);
        node.put("version", version);
        return node;
    }

    private void addressByCidr(ObjectNode node) {
        ObjectNode address = node.putArray("serverAddressByClientCIDRs").addObject();
        address.put("clientCIDR", "0.0.0.0/0");
        address.put("serverAddress", serverAddress);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
