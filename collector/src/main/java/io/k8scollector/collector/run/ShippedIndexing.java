package io.k8scollector.collector.run;

import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.enrichment.ObjectIndex;
import io.k8scollector.collector.listing.ObjectObserver;
import io.k8scollector.collector.listing.ObjectView;
import io.k8scollector.collector.watching.ObjectHead;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A continuous run's full fetching's observer of every object it lists: each goes into the index
 * of what was shipped (identity and resourceVersion, by its type, known from {@link #view}, asked
 * once per type before its objects). Thread-safe.
 */
final class ShippedIndexing implements ObjectObserver {
    private final ObjectIndex index;
    private final Map<String, ResourceType> types = new ConcurrentHashMap<>();

    ShippedIndexing(ObjectIndex index) {
        this.index = index;
    }

    @Override
    public ObjectView view(ResourceType type) {
        types.put(type.apiVersion() + "/" + type.kind(), type);
        return ObjectView.HEAD;
    }

    @Override
    public void observe(ObjectNode object) {
        ResourceType type = types.get(object.path("apiVersion").asString("") + "/" + object.path("kind").asString(""));
        JsonNode metadata = object.path("metadata");
        if (type != null && !ResyncListing.unnamed(metadata)) {
            index.put(type, ObjectHead.of(object));
        }
    }
}
