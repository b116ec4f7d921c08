package io.k8scollector.collector.listing;

/**
 * What a stage needs to see of each object of a type, which decides how the objects are read:
 * only when no stage needs more than {@link #HEAD} are they redacted as they are copied from the
 * list response, without a tree of the whole object.
 */
public enum ObjectView {
    /** Nothing: the stage has no business with objects of the type. */
    NONE,
    /**
     * The head ({@code apiVersion}, {@code kind}, {@code metadata} without its annotations); for
     * redaction: every step it needs is done by its copying reader.
     */
    HEAD,
    /** The whole object, as a tree, before redaction. */
    WHOLE
}
