package io.k8scollector.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a fetching left out and why. {@code subject} (the wire's {@code kind}, not a Kubernetes
 * kind) says what the entry names: a whole {@code type}
 * (group, version, resource), a whole API {@code group}, a single {@code object}, or a
 * {@code record}: a Helm release, type or tree refused alone, or, with {@code source} (and
 * {@code storage} for Helm), a whole Helm release storage that could not be read. Skipped
 * types, groups, objects and release storages carry over from the previous snapshot instead of
 * counting as deleted.
 *
 * @param subject what the entry names, one of {@link #TYPE}, {@link #GROUP}, {@link #OBJECT},
 *     {@link #RECORD}; sent as {@code kind}
 * @param recordKind for a {@code record}: {@code helmRelease}, {@code type} or {@code tree}
 * @param source for Helm release storage: {@code helm} or {@code argocd}
 * @param storage for Helm's own storage: {@code secret} or {@code configmap}
 * @param reason one of {@link Reason}'s wire values
 */
public record Skipped(
        @JsonProperty("kind") String subject,
        String group,
        String version,
        String resource,
        String namespace,
        String name,
        String recordKind,
        String source,
        String storage,
        String reason,
        String message) {

    /** The wire values of {@code subject}. */
    public static final String TYPE = "type";
    public static final String GROUP = "group";
    public static final String OBJECT = "object";
    public static final String RECORD = "record";

    /** The {@code recordKind} of a Helm release. */
    public static final String HELM_RELEASE = "helmRelease";

    /** The reasons the protocol names. */
    public enum Reason {
        FORBIDDEN("forbidden"),
        NOT_FOUND("not-found"),
        DISCOVERY_FAILED("discovery-failed"),
        FAILED("failed"),
        TOO_LARGE("too-large"),
        REJECTED("rejected"),
        UNPARSEABLE("unparseable");

        private final String wire;

        Reason(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** A whole type left out. */
    public static Skipped type(String group, String version, String resource, Reason reason, String message) {
        return new Skipped(TYPE, group, version, resource, null, null, null, null, null, reason.wire(), message);
    }

    /** A whole API group left out (its discovery failed). */
    public static Skipped group(String group, String version, Reason reason, String message) {
        return new Skipped(GROUP, group, version, null, null, null, null, null, null, reason.wire(), message);
    }

    /** A single object left out. */
    public static Skipped object(
            String group, String version, String resource, String namespace, String name, Reason reason, String message) {
        return new Skipped(OBJECT, group, version, resource, namespace, name, null, null, null, reason.wire(), message);
    }

    /** A single non-object record refused alone; not counted in the commit. */
    public static Skipped record(String recordKind, String name, Reason reason, String message) {
        return new Skipped(RECORD, null, null, null, null, name, recordKind, null, null, reason.wire(), message);
    }

    /**
     * Helm releases that could not be read as a whole: Helm's storage of one kind ({@code source}
     * {@code helm}, {@code storage} {@code secret} or {@code configmap}), or Argo CD's
     * Applications ({@code source} {@code argocd}, no storage). The previous snapshot's releases
     * of that source and storage carry over.
     */
    public static Skipped helmStorage(String source, String storage, Reason reason, String message) {
        return new Skipped(RECORD, null, null, null, null, null, HELM_RELEASE, source, storage, reason.wire(), message);
    }
}
