package io.k8scollector.collector.listing;

import io.k8scollector.collector.discovery.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stage that watches the listed objects go by, before they are redacted (enrichment: ownership
 * trees, Helm's storage, Argo CD's Applications). It says per type what it needs to see, and the
 * run's object pipeline reads the objects so that it sees that much. Observers are called from
 * every listing thread at once and must be thread-safe.
 */
public interface ObjectObserver {

    /** What this observer needs of each object of {@code type}; asked once per type. */
    ObjectView view(ResourceType type);

    /**
     * Takes one object of a type it asked to see: its head, or the whole object when it said
     * {@link ObjectView#WHOLE}. It must not change {@code object}.
     */
    void observe(ObjectNode object);
}
