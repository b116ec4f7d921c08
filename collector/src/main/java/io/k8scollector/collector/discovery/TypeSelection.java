package io.k8scollector.collector.discovery;

import io.k8scollector.collector.config.CollectorConfig.Selection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which served types the configuration selects. A built-in type (see {@link ResourceType#builtIn()})
 * is collected when the resource list names it; any other type (CRDs, aggregated APIs) is
 * collected unless left out. A {@code collector.resources.<name>} toggle overrides both, and
 * {@code collector.excludeResources} overrides everything. So {@code metrics.k8s.io}, built in
 * but never in the default list, is left out by default.
 *
 * <p>A name is {@code resource.group}, or a bare {@code resource}: the core group's type of that
 * name, else a built-in type's, else any type's (so {@code pods} never means the metrics group's).
 */
public final class TypeSelection {

    private final List<String> listed;
    private final Map<String, Boolean> toggles;
    private final List<Pattern> excludes;

    private TypeSelection(List<String> listed, Map<String, Boolean> toggles, List<Pattern> excludes) {
        this.listed = listed;
        this.toggles = toggles;
        this.excludes = excludes;
    }

    /** The selection the configuration describes. */
    public static TypeSelection of(Selection selection) {
        return new TypeSelection(
                selection.resources(),
                selection.toggles(),
                selection.excludes().stream().map(TypeSelection::glob).toList());
    }

    /** The listable types of {@code served} that are selected. */
    public Set<ResourceType> select(List<ResourceType> served) {
        Set<ResourceType> named = new HashSet<>();
        listed.forEach(name -> resolve(name, served).ifPresent(named::add));
        Map<ResourceType, Boolean> toggled = new HashMap<>();
        toggles.forEach((name, on) -> resolve(name, served).ifPresent(type -> toggled.put(type, on)));
        Set<ResourceType> selected = new HashSet<>();
        for (ResourceType type : served) {
            boolean wanted = toggled.getOrDefault(type, !type.builtIn() || named.contains(type));
            if (type.listable() && wanted && !excluded(type)) {
                selected.add(type);
            }
        }
        return selected;
    }

    private boolean excluded(ResourceType type) {
        return excludes.stream().anyMatch(pattern -> pattern.matcher(type.qualifiedName()).matches());
    }

    static Optional<ResourceType> resolve(String name, List<ResourceType> served) {
        int dot = name.indexOf('.');
        if (dot > 0) {
            String resource = name.substring(0, dot);
            String group = name.substring(dot + 1);
            return served.stream()
                    .filter(type -> type.resource().equals(resource) && type.group().equals(group))
                    .findFirst();
        }
        List<ResourceType> sameName =
                served.stream().filter(type -> type.resource().equals(name)).toList();
        return sameName.stream()
                .filter(type -> type.group().isEmpty())
                .findFirst()
                .or(() -> sameName.stream().filter(ResourceType::builtIn).findFirst())
                .or(() -> sameName.stream().findFirst());
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
