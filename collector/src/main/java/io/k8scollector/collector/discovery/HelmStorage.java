package io.k8scollector.collector.discovery;

import tools.jackson.databind.node.ObjectNode;

/**
 * Where Helm 3/4 stores its releases, in the one place every stage reads it from: the core
 * group's Secrets of type {@value #SECRET_TYPE} and ConfigMaps, each labelled
 * {@code owner=helm} ({@value #SELECTOR}), one object per release revision.
 */
public final class HelmStorage {

    /** The type of the Secrets Helm's default storage driver writes. */
    public static final String SECRET_TYPE = "helm.sh/release.v1";

    /** The label selector that finds Helm's storage objects, Secrets and ConfigMaps alike. */
    public static final String SELECTOR = "owner=helm";

    /** The {@code storage} of a release read from a Secret, in records and skipped entries. */
    public static final String SECRET = "secret";

    /** The {@code storage} of a release read from a ConfigMap. */
    public static final String CONFIGMAP = "configmap";

    private static final String OWNER_LABEL = "owner";
    private static final String OWNER = "helm";

    private HelmStorage() {}

    /** Whether {@code type} is one Helm stores releases in: the core group's Secrets or ConfigMaps. */
    public static boolean holds(ResourceType type) {
        return type.group().isEmpty() && (type.resource().equals("secrets") || type.resource().equals("configmaps"));
    }

    /** The storage {@code type} stands for ({@link #SECRET} or {@link #CONFIGMAP}); {@code type} must {@link #holds} releases. */
    public static String storageOf(ResourceType type) {
        return type.resource().equals("secrets") ? SECRET : CONFIGMAP;
    }

    /** Whether {@code object} (any kind) carries Helm's owner label. */
    public static boolean ownedByHelm(ObjectNode object) {
        return OWNER.equals(object.path("metadata").path("labels").path(OWNER_LABEL).asString(""));
    }

    /**
     * The storage {@code object} is a release revision of ({@link #SECRET} or {@link #CONFIGMAP}),
     * or null when it is not one: a {@code v1} Secret of type {@value #SECRET_TYPE}, or a {@code v1}
     * ConfigMap labelled {@value #SELECTOR}.
     */
    public static String storageOf(ObjectNode object) {
        if (!"v1".equals(object.path("apiVersion").asString(""))) {
            return null;
        }
        String kind = object.path("kind").asString("");
        if ("Secret".equals(kind) && SECRET_TYPE.equals(object.path("type").asString(""))) {
            return SECRET;
        }
        if ("ConfigMap".equals(kind) && ownedByHelm(object)) {
            return CONFIGMAP;
        }
        return null;
    }
}
