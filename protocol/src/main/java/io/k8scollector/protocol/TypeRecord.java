package io.k8scollector.protocol;

import java.util.List;

/**
 * One entry of the type catalog: a resource type the API server serves, whether it was collected
 * and, if not, why ({@code not-selected}, {@code not-listable}, or a {@link Skipped.Reason}).
 */
public record TypeRecord(
        String group,
        String version,
        String kind,
        String resource,
        boolean namespaced,
        List<String> verbs,
        boolean collected,
        String skipReason) {

    public static final String NOT_SELECTED = "not-selected";
    public static final String NOT_LISTABLE = "not-listable";

    public TypeRecord {
        verbs = verbs == null ? List.of() : List.copyOf(verbs);
    }
}
