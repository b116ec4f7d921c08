package io.k8scollector.collector.config;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A field of a kind that holds Helm values ({@code collector.valuesFields}, one
 * {@code group/Kind path} per line): its value becomes its digest.
 *
 * @param group the API group, empty for the core group
 * @param kind the kind, as objects name it
 * @param path the field's path from the object's root; a step that meets a list goes on in each
 *     of its elements
 */
public record ValuesField(String group, String kind, List<String> path) {

    /** What a line must look like, for error messages. */
    public static final String FORM =
            "one 'group/Kind path' per line, the path in dots (helm.toolkit.fluxcd.io/HelmRelease spec.values)";

    private static final Pattern LINE = Pattern.compile(
            "([a-z0-9]([a-z0-9.-]*[a-z0-9])?)?/([A-Za-z][A-Za-z0-9]*)\\s+([^.\\s]+(\\.[^.\\s]+)*)");

    public ValuesField {
        path = List.copyOf(path);
    }

    /**
     * Reads one line of {@code key}.
     *
     * @throws ConfigException naming {@code key}, the line and {@link #FORM} when it is not of that form
     */
    public static ValuesField parse(String key, String line) {
        Matcher matcher = LINE.matcher(line.strip());
        if (!matcher.matches()) {
            throw ConfigException.invalid(key, line, FORM);
        }
        String group = matcher.group(1) == null ? "" : matcher.group(1);
        return new ValuesField(group, matcher.group(3), List.of(matcher.group(4).split("\\.")));
    }

    @Override
    public String toString() {
        return group + "/" + kind + " " + String.join(".", path);
    }
}
