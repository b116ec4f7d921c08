package io.k8scollector.testkit.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A parsed {@code labelSelector} query parameter: comma-separated requirements {@code a=b},
 * {@code a==b}, {@code a!=b}, {@code a in (x,y)}, {@code a notin (x,y)}, {@code a} and {@code !a}, all of
 * which must hold.
 */
public final class LabelSelector implements Predicate<Map<String, String>> {

    private final List<Predicate<Map<String, String>>> requirements;

    private LabelSelector(List<Predicate<Map<String, String>>> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    /**
     * Parses a selector; blank means everything.
     *
     * @throws IllegalArgumentException naming the requirement that cannot be parsed
     */
    public static LabelSelector parse(String text) {
        List<Predicate<Map<String, String>>> requirements = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            for (String requirement : split(text)) {
                requirements.add(requirement(requirement.trim()));
            }
        }
        return new LabelSelector(requirements);
    }

    /** Whether it selects everything. */
    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    @Override
    public boolean test(Map<String, String> labels) {
        for (Predicate<Map<String, String>> requirement : requirements) {
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

    private static Predicate<Map<String, String>> requirement(String text) {
        String[] words = text.split("\\s+", 3);
        if (words.length == 3 && (words[1].equals("in") || words[1].equals("notin"))) {
            String key = key(words[0], text);
            Set<String> values = values(words[2], text);
            return words[1].equals("in")
                    ? labels -> labels.containsKey(key) && values.contains(labels.get(key))
                    : labels -> !labels.containsKey(key) || !values.contains(labels.get(key));
        }
        int not = text.indexOf("!=");
        if (not > 0) {
            String key = key(text.substring(0, not), text);
            String value = value(text.substring(not + 2), text);
            return labels -> !value.equals(labels.get(key));
        }
        int eq = text.indexOf('=');
        if (eq > 0) {
            String key = key(text.substring(0, eq), text);
            String rest = text.substring(eq + 1);
            String value = value(rest.startsWith("=") ? rest.substring(1) : rest, text);
            return labels -> value.equals(labels.get(key));
        }
        if (text.startsWith("!")) {
            String key = key(text.substring(1), text);
            return labels -> !labels.containsKey(key);
        }
        String key = key(text, text);
        return labels -> labels.containsKey(key);
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
