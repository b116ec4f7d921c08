package io.k8scollector.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A Kubernetes label selector, as the {@code labelSelector} query parameter writes it:
 * comma-separated requirements {@code a=b}, {@code a==b}, {@code a!=b}, {@code a in (x,y)},
 * {@code a notin (x,y)}, {@code a} and {@code !a}, all of which must hold; {@code !=} and
 * {@code notin} also hold for an object without the label. The one parser of the project: the
 * test cluster filters its lists with it and the receiver its query API (which takes the
 * equality-based ones only). Immutable.
 */
public final class LabelSelector implements Predicate<Map<String, String>> {

    /** What a requirement asks of the label {@code key}. */
    public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, NOT_EXISTS }

    /** One requirement: {@code values} holds the value for {@code =} and {@code !=}, none for the existence tests. */
    public record Requirement(String key, Operator operator, Set<String> values) implements Predicate<Map<String, String>> {

        public Requirement {
            values = Set.copyOf(values);
        }

        @Override
        public boolean test(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> labels.containsKey(key);
                case NOT_EXISTS -> !labels.containsKey(key);
            };
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    /**
     * Parses a selector; blank (or null) means everything.
     *
     * @throws IllegalArgumentException naming the requirement that cannot be parsed and what is allowed
     */
    public static LabelSelector parse(String text) {
        List<Requirement> requirements = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            for (String requirement : split(text)) {
                requirements.add(requirement(requirement.trim()));
            }
        }
        return new LabelSelector(requirements);
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    /** Whether it selects everything. */
    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** Whether every requirement is {@code =} or {@code !=} (what the receiver's query API takes). */
    public boolean isEqualityBased() {
        return requirements.stream()
                .allMatch(r -> r.operator() == Operator.EQUALS || r.operator() == Operator.NOT_EQUALS);
    }

    @Override
    public boolean test(Map<String, String> labels) {
        for (Requirement requirement : requirements) {
            if (!requirement.test(labels)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static Requirement requirement(String text) {
        String[] words = text.split("\\s+", 3);
        if (words.length == 3 && (words[1].equals("in") || words[1].equals("notin"))) {
            return new Requirement(key(words[0], text), words[1].equals("in") ? Operator.IN : Operator.NOT_IN,
                    values(words[2], text));
        }
        int not = text.indexOf("!=");
        if (not > 0) {
            return new Requirement(key(text.substring(0, not), text), Operator.NOT_EQUALS,
                    Set.of(value(text.substring(not + 2), text)));
        }
        int eq = text.indexOf('=');
        if (eq > 0) {
            String rest = text.substring(eq + 1);
            return new Requirement(key(text.substring(0, eq), text), Operator.EQUALS,
                    Set.of(value(rest.startsWith("=") ? rest.substring(1) : rest, text)));
        }
        if (text.startsWith("!")) {
            return new Requirement(key(text.substring(1), text), Operator.NOT_EXISTS, Set.of());
        }
        return new Requirement(key(text, text), Operator.EXISTS, Set.of());
    }

    private static String key(String key, String requirement) {
        String trimmed = key.trim();
        if (!trimmed.matches("([a-z0-9.-]+/)?[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?")) {
            throw invalid(requirement);
        }
        return trimmed;
    }

    private static String value(String value, String requirement) {
        String trimmed = value.trim();
        if (!trimmed.matches("([A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?)?")) {
            throw invalid(requirement);
        }
        return trimmed;
    }

    private static Set<String> values(String list, String requirement) {
        String trimmed = list.trim();
        if (!trimmed.startsWith("(") || !trimmed.endsWith(")")) {
            throw invalid(requirement);
        }
        List<String> values = new ArrayList<>();
        for (String value : trimmed.substring(1, trimmed.length() - 1).split(",")) {
            values.add(value(value, requirement));
        }
        return Set.copyOf(values);
    }

    private static IllegalArgumentException invalid(String requirement) {
        return new IllegalArgumentException("unable to parse requirement: \"" + requirement
                + "\"; allowed: a=b, a==b, a!=b, a in (x,y), a notin (x,y), a, !a");
    }
}
