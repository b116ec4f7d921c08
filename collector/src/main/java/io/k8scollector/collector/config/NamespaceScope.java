package io.k8scollector.collector.config;

import io.k8scollector.collector.config.CollectorConfig.Selection;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code collector.watchNamespace} and {@code collector.ignoreNamespaces} leave out, said at
 * every run and by {@code check}: the original collector's chart wrote both keys
 * ({@code default} and {@code kube-system}) but never applied them, so a ConfigMap carried over
 * from it silently narrows a run of this collector to one namespace.
 */
public final class NamespaceScope {

    private NamespaceScope() {}

    /** One sentence per key that narrows the run; none when every namespace is collected. */
    public static List<String> warnings(Selection selection) {
        List<String> warnings = new ArrayList<>();
        if (selection.watchNamespace() != null) {
            warnings.add("collector.watchNamespace is \"" + selection.watchNamespace() + "\": only the namespace "
                    + selection.watchNamespace() + " is collected (cluster-scoped types still are; every other "
                    + "namespace's objects are left out); remove the key to collect every namespace.");
        }
        if (!selection.ignoreNamespaces().isEmpty()) {
            warnings.add("collector.ignoreNamespaces leaves out the objects of the namespace(s) "
                    + String.join(", ", selection.ignoreNamespaces().stream().sorted().toList())
                    + "; remove the key to collect them.");
        }
        return warnings;
    }
}
