package io.k8scollector.testkit.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A parsed {@code fieldSelector} query parameter; the fields every type supports,
 * {@code metadata.name} and {@code metadata.namespace}, with {@code =}, {@code ==} and {@code !=}.
 */
public final class FieldSelector implements Predicate<StoredObject> {

    private final List<Predicate<StoredObject>> requirements;

    private FieldSelector(List<Predicate<StoredObject>> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    /**
     * Parses a selector; blank means everything.
     *
     * @throws IllegalArgumentException naming the unsupported field or malformed requirement
     */
    public static FieldSelector parse(String text) {
        List<Predicate<StoredObject>> requirements = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            for (String requirement : text.split(",")) {
                requirements.add(requirement(requirement.trim()));
            }
        }
        return new FieldSelector(requirements);
    }

    /** Whether it selects everything. */
    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    @Override
    public boolean test(StoredObject object) {
        for (Predicate<StoredObject> requirement : requirements) {
            if (!requirement.test(object)) {
                return false;
            }
        }
        return true;
    }

    private static Predicate<StoredObject> requirement(String text) {
        boolean negated = text.contains("!=");
        String[] parts = text.split(negated ? "!=" : "==?", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException("invalid field selector requirement \"" + text
                    + "\"; allowed: field=value, field==value, field!=value");
        }
        String field = parts[0].trim();
        String value = parts[1].trim();
        Predicate<StoredObject> equal = switch (field) {
            case "metadata.name" -> object -> value.equals(object.name());
            case "metadata.namespace" -> object -> value.equals(object.namespace() == null ? "" : object.namespace());
            default -> throw new IllegalArgumentException("field label not supported: \"" + field
                    + "\"; allowed: metadata.name, metadata.namespace");
        };
        return negated ? equal.negate() : equal;
    }
}
