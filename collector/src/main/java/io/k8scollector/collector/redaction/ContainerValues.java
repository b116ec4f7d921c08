package io.k8scollector.collector.redaction;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sensitive values of a pod spec's containers, init containers and ephemeral containers: a
 * literal env {@code value} whose name is sensitive, and in {@code command} and {@code args} the
 * value of a sensitive flag, written {@code --name=value} or {@code --name value}, as its own
 * element or inside a shell line ({@code sh -c "app --db-password x"}). {@code valueFrom} stays.
 * A name is sensitive when the pattern is found in it, or in it with dashes read as underscores.
 */
final class ContainerValues {

    private static final List<String> CONTAINER_LISTS = List.of("containers", "initContainers", "ephemeralContainers");
    private static final Set<String> VALUE_FIELDS = Set.of("env", "command", "args");
    private static final Pattern WORD = Pattern.compile("\\S+");
    /** Env and flag names repeat across every pod of a workload; matching them took 60% of the chain's time. */
    private static final int MAX_REMEMBERED_NAMES = 10_000;

    private final Pattern sensitive;
    private final KeyedDigest digest;
    private final Map<String, Boolean> remembered = new ConcurrentHashMap<>();

    ContainerValues(Pattern sensitive, KeyedDigest digest) {
        this.sensitive = sensitive;
        this.digest = digest;
    }

    /** Whether {@code node} looks like a pod spec: it has a {@code containers} array. */
    static boolean isPodSpec(JsonNode node) {
        return node.path("containers").isArray();
    }

    /** Redacts the containers of {@code podSpec} in place; anything else is left alone. */
    void redactPodSpec(JsonNode podSpec) {
        for (String list : CONTAINER_LISTS) {
            for (JsonNode container : podSpec.path(list)) {
                redactContainer(container);
            }
        }
    }

    /** Whether a pod spec's field {@code name} holds containers. */
    static boolean isContainerList(String name) {
        return CONTAINER_LISTS.contains(name);
    }

    /** Redacts one container (or init or ephemeral container) in place. */
    void redactContainer(JsonNode container) {
        for (String field : VALUE_FIELDS) {
            JsonNode value = container.get(field);
            if (value != null) {
                redactField(field, value);
            }
        }
    }

    /** Whether a container's field {@code name} can hold sensitive values: {@code env}, {@code command}, {@code args}. */
    static boolean holdsValues(String name) {
        return VALUE_FIELDS.contains(name);
    }

    /** Redacts in place the value of a container's field {@code name}, one that {@link #holdsValues}. */
    void redactField(String name, JsonNode value) {
        if (name.equals("env")) {
            redactEnv(value);
        } else {
            redactArguments(value);
        }
    }

    private void redactEnv(JsonNode env) {
        for (JsonNode variable : env) {
            if (variable instanceof ObjectNode entry
                    && entry.path("value").isString()
                    && isSensitive(entry.path("name").asString(""))) {
                entry.put("value", digest.of(entry.get("value").stringValue()));
            }
        }
    }

    private void redactArguments(JsonNode arguments) {
        if (!(arguments instanceof ArrayNode array)) {
            return;
        }
        Flags flags = new Flags();
        for (int i = 0; i < array.size(); i++) {
            JsonNode argument = array.get(i);
            if (argument.isString()) {
                String text = argument.stringValue();
                String redacted = !flags.valueNext && isLine(text)
                        ? redactLine(text)
                        : flags.next(text);
                if (!redacted.equals(text)) {
                    array.set(i, array.stringNode(redacted));
                }
            }
        }
    }

    private String redactLine(String line) {
        Flags flags = new Flags();
        Matcher words = WORD.matcher(line);
        StringBuilder out = new StringBuilder(line.length());
        while (words.find()) {
            words.appendReplacement(out, Matcher.quoteReplacement(flags.next(words.group())));
        }
        words.appendTail(out);
        return out.toString();
    }

    private static boolean isLine(String text) {
        String words = text.strip();
        for (int i = 0; i < words.length(); i++) {
            if (Character.isWhitespace(words.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private boolean isSensitive(String name) {
        Boolean known = remembered.get(name);
        if (known != null) {
            return known;
        }
        boolean matches = !name.isEmpty()
                && (sensitive.matcher(name).find() || sensitive.matcher(name.replace('-', '_')).find());
        if (remembered.size() < MAX_REMEMBERED_NAMES) {
            remembered.put(name, matches);
        }
        return matches;
    }

    /** Reads words in order and remembers when the next one is a sensitive flag's value. */
    private final class Flags {

        private boolean valueNext;

        String next(String word) {
            if (valueNext && !word.startsWith("--")) {
                valueNext = false;
                return digest.of(word);
            }
            valueNext = false;
            if (!word.startsWith("-")) {
                return word;
            }
            int equals = word.indexOf('=');
            String name = stripDashes(equals < 0 ? word : word.substring(0, equals));
            if (!isSensitive(name)) {
                return word;
            }
            if (equals < 0) {
                valueNext = true;
                return word;
            }
            return word.substring(0, equals + 1) + digest.of(word.substring(equals + 1));
        }

        private static String stripDashes(String flag) {
            int start = 0;
            while (start < flag.length() && flag.charAt(start) == '-') {
                start++;
            }
            return flag.substring(start);
        }
    }
}
