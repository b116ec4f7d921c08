package io.k8scollector.collector.redaction;

import io.k8scollector.collector.discovery.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * One link of the redaction chain: it says which objects it applies to and redacts them in place.
 * Steps are stateless (their digests are thread-safe), so the chain may run on several threads.
 */
interface RedactionStep {

    /** Whether the step may have anything to do on objects of {@code type}, whatever they hold. */
    boolean mayApply(ResourceType type);

    /** Whether {@link #apply} has anything to do on {@code object}, of {@code type}. */
    boolean appliesTo(ResourceType type, ObjectNode object);

    /** Redacts {@code object}, of {@code type}, in place. */
    void apply(ResourceType type, ObjectNode object);
}
