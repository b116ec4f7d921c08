package io.k8scollector.collector.redaction;

import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * The sensitive values of a container (of a pod spec, or any node that looks like one):
 * <ul>
 *   <li>{@code env}: a literal {@code value} whose name is sensitive becomes its digest; any other
 *       literal value gets the {@linkplain SecretText#line text rules} (a URL's password, a
 *       sensitive assignment or flag inside it); {@code valueFrom} stays;
 *   <li>{@code command} and {@code args}: the value of a sensitive flag, written
 *       {@code --name=value} or {@code --name value}, as its own element (to the element's end,
 *       spaces and all) or inside a shell line ({@code sh -c "app --db-password 'x y'"}), and the
 *       text rules in every element;
 *   <li>the probes and {@code lifecycle} hooks: {@code exec.command} as a command, and every
 *       {@code httpGet.httpHeaders[].value}, whatever the header's name;
 *   <li>{@code script} (Tekton steps and sidecars): the text rules for configuration and scripts.
 * </ul>
 * A name is sensitive as {@link SensitiveNames} says.
 */
final class ContainerValues {

    private static final List<String> CONTAINER_LISTS = List.of("containers", "initContainers", "ephemeralContainers");
    private static final Set<String> PROBES = Set.of("livenessProbe", "readinessProbe", "startupProbe");
    private static final List<String> HOOKS = List.of("postStart", "preStop");
    private static final Set<String> COMMANDS = Set.of("command", "args");
    /** The literal values of an {@code env} entry or a parameter. */
    private static final List<String> PARAMETER_VALUES = List.of("value", "default", "enum");
    /** The fields {@link #redactField} redacts; the first four make a node look like a container (with an image). */
    private static final List<String> VALUE_FIELDS = List.of(
            "env", "command", "args", "script", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle");
    private static final Set<String> VALUE_FIELD_SET = Set.copyOf(VALUE_FIELDS);
    private static final List<String> CONTAINER_MARKS = VALUE_FIELDS.subList(0, 4);

    private final SensitiveNames names;
    private final SecretText text;

    ContainerValues(SensitiveNames names, SecretText text) {
        this.names = names;
        this.text = text;
    }

    /** Whether {@code node} looks like a pod spec: it has a {@code containers} array. */
    static boolean isPodSpec(JsonNode node) {
        return node.path("containers").isArray();
    }

    /**
     * Whether {@code node} looks like a container wherever it sits: an object with an
     * {@code image} and any of {@code env}, {@code command}, {@code args} or {@code script}.
     */
    static boolean isContainer(JsonNode node) {
        if (!node.isObject() || !node.has("image")) {
            return false;
        }
        for (String field : CONTAINER_MARKS) {
            if (node.has(field)) {
                return true;
            }
        }
        return false;
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

    /** Redacts one container (or init or ephemeral container, or a node that looks like one) in place. */
    void redactContainer(JsonNode container) {
        if (!(container instanceof ObjectNode object)) {
            return;
        }
        for (String field : VALUE_FIELDS) {
            JsonNode value = object.get(field);
            if (value != null) {
                JsonNode redacted = redactField(field, value);
                if (redacted != value) {
                    object.set(field, redacted);
                }
            }
        }
    }

    /** Whether a container's field {@code name} can hold sensitive values, as {@link #redactField} redacts. */
    static boolean holdsValues(String name) {
        return VALUE_FIELD_SET.contains(name);
    }

    /**
     * Whether a container's field {@code name} holds handlers (the probes, {@code lifecycle}), in
     * which only {@code exec.command} and {@code httpGet.httpHeaders} are redacted.
     */
    static boolean isHandler(String name) {
        return PROBES.contains(name) || name.equals("lifecycle");
    }

    /**
     * Redacts the value of a container's field {@code name}, one that {@link #holdsValues}: in
     * place, or, for a text ({@code script}), by answering a new node; answers the redacted value.
     */
    JsonNode redactField(String name, JsonNode value) {
        if (name.equals("env")) {
            redactNamedValues(value);
        } else if (COMMANDS.contains(name)) {
            redactArguments(value);
        } else if (PROBES.contains(name)) {
            redactHandler(value);
        } else if (name.equals("lifecycle")) {
            for (String hook : HOOKS) {
                redactHandler(value.path(hook));
            }
        } else if (name.equals("script") && value.isString()) {
            String script = text.config(value.stringValue());
            return script.equals(value.stringValue()) ? value : StringNode.valueOf(script);
        }
        return value;
    }

    /**
     * Redacts a list of {@code name}/{@code value} pairs ({@code env}, and the parameters of
     * pipeline engines) in place: a sensitive name's literal value becomes its digest, any other
     * gets the text rules. A parameter's {@code default} and {@code enum} (Tekton's and Argo
     * Workflows') are values as well; each of these may be a string or, in Tekton, a list or an
     * object of strings.
     */
    void redactNamedValues(JsonNode pairs) {
        for (JsonNode pair : pairs) {
            if (pair instanceof ObjectNode entry) {
                boolean sensitive = names.isSensitive(entry.path("name").asString(""));
                for (String field : PARAMETER_VALUES) {
                    JsonNode value = entry.get(field);
                    if (value != null) {
                        JsonNode redacted = redactValue(value, sensitive);
                        if (redacted != value) {
                            entry.set(field, redacted);
                        }
                    }
                }
            }
        }
    }

    /**
     * A literal value, in place for a list or object of them (a member under a sensitive key is
     * secret); answers the redacted value.
     */
    private JsonNode redactValue(JsonNode value, boolean sensitive) {
        if (value.isString()) {
            String redacted = sensitive ? text.secret(value.stringValue()) : text.line(value.stringValue());
            return redacted.equals(value.stringValue()) ? value : StringNode.valueOf(redacted);
        }
        if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, redactValue(array.get(i), sensitive));
            }
        } else if (value instanceof ObjectNode object) {
            for (String key : List.copyOf(object.propertyNames())) {
                object.set(key, redactValue(object.get(key), sensitive || names.isSensitive(key)));
            }
        }
        return value;
    }

    /** A probe's or hook's handler: its {@code exec.command} and its HTTP headers' values. */
    private void redactHandler(JsonNode handler) {
        redactArguments(handler.path("exec").path("command"));
        for (JsonNode header : handler.path("httpGet").path("httpHeaders")) {
            if (header instanceof ObjectNode entry && entry.path("value").isString()) {
                entry.put("value", text.secret(entry.get("value").stringValue()));
            }
        }
    }

    private void redactArguments(JsonNode arguments) {
        if (!(arguments instanceof ArrayNode array)) {
            return;
        }
        SecretText.FlagReader flags = text.flags();
        for (int i = 0; i < array.size(); i++) {
            JsonNode argument = array.get(i);
            if (argument.isString()) {
                String original = argument.stringValue();
                String redacted = !flags.valueNext() && isLine(original) && !flags.isSensitiveAssignment(original)
                        ? text.line(original)
                        : text.embedded(flags.next(original));
                if (!redacted.equals(original)) {
                    array.set(i, array.stringNode(redacted));
                }
            }
        }
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
}
