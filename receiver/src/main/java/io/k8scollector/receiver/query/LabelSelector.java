package io.k8scollector.receiver.query;

import io.k8scollector.protocol.Json;
import io.k8scollector.receiver.server.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import tools.jackson.core.type.TypeReference;

/**
 * An equality-based label selector, {@code a=b,c!=d} ({@code ==} reads as {@code =}), tested
 * against an object's labels JSON. A {@code !=} requirement also matches a missing label, as in
 * Kubernetes.
 */
record LabelSelector(List<Requirement> requirements) implements Predicate<String> {

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

    record Requirement(String key, String value, boolean equal) {}

    static LabelSelector parse(String selector) {
        List<Requirement> requirements = new ArrayList<>();
        if (selector != null && !selector.isBlank()) {
            for (String part : selector.split(",")) {
                int not = part.indexOf("!=");
                int eq = part.indexOf('=');
                if (eq <= 0 && not <= 0) {
                    throw ApiException.badRequest("Invalid labelSelector requirement '" + part.trim()
                            + "': use key=value or key!=value, separated by commas.");
                }
                if (not > 0) {
                    requirements.add(new Requirement(part.substring(0, not).trim(), part.substring(not + 2).trim(), false));
                } else {
                    String value = part.substring(eq + 1);
                    value = value.startsWith("=") ? value.substring(1) : value;
                    requirements.add(new Requirement(part.substring(0, eq).trim(), value.trim(), true));
                }
            }
        }
        return new LabelSelector(List.copyOf(requirements));
    }

    @Override
    public boolean test(String labelsJson) {
        if (requirements.isEmpty()) {
            return true;
        }
        Map<String, String> labels = labelsJson == null ? Map.of() : Json.MAPPER.readValue(labelsJson, LABELS);
        return requirements.stream().allMatch(r -> Objects.equals(labels.get(r.key()), r.value()) == r.equal());
    }
}
