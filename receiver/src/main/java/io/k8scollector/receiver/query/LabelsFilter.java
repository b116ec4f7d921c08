package io.k8scollector.receiver.query;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.LabelSelector;
import io.k8scollector.receiver.server.ApiException;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.core.type.TypeReference;

/**
 * The query API's {@code labelSelector}, tested against an object's stored labels JSON: an
 * equality-based selector ({@code a=b,c!=d}; {@code ==} reads as {@code =}; {@code !=} also
 * matches a missing label, as in Kubernetes), parsed by the project's one {@link LabelSelector}.
 */
record LabelsFilter(LabelSelector selector) implements Predicate<String> {

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

    /**
     * The filter {@code text} asks for; everything when blank.
     *
     * @throws ApiException 400 when it is not an equality-based selector
     */
    static LabelsFilter parse(String text) {
        LabelSelector selector;
        try {
            selector = LabelSelector.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid labelSelector: " + e.getMessage() + ".");
        }
        if (!selector.isEqualityBased()) {
            throw ApiException.badRequest("Invalid labelSelector '" + text.trim()
                    + "': use key=value or key!=value, separated by commas.");
        }
        return new LabelsFilter(selector);
    }

    @Override
    public boolean test(String labelsJson) {
        if (selector.isEmpty()) {
            return true;
        }
        return selector.test(labelsJson == null ? Map.of() : Json.MAPPER.readValue(labelsJson, LABELS));
    }
}
