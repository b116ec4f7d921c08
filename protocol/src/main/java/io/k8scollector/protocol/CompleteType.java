package io.k8scollector.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One entry of a delta commit's {@code completeTypes} (protocol 1.1): an object type
 * ({@code group}, {@code resource}, {@code kind}; the server matches objects by their
 * apiVersion's group and their kind) or a whole record kind ({@code recordKind}) whose every
 * current record is in the delta, so that the base's other records of it are deleted.
 */
public record CompleteType(String recordKind, String group, String resource, String kind) {

    /** An object type sent whole. */
    public static CompleteType objects(String group, String resource, String kind) {
        return new CompleteType(null, group == null ? "" : group, resource, kind);
    }

    /** A record kind other than objects ({@code helmRelease}, {@code type}, {@code tree}) sent whole. */
    public static CompleteType records(RecordKind kind) {
        if (kind == RecordKind.OBJECTS) {
            throw new IllegalArgumentException("objects are complete per type: use CompleteType.objects");
        }
        return new CompleteType(kind.recordKind(), null, null, null);
    }

    /** True when this entry names an object type rather than a record kind. */
    @JsonIgnore
    public boolean isObjectType() {
        return recordKind == null || recordKind.equals(RecordKind.OBJECTS.recordKind());
    }
}
