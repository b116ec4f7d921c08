package io.k8scollector.collector.discovery;

import io.k8scollector.protocol.Skipped;
import io.k8scollector.protocol.TypeRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What discovery found: every type served (at the version it is listed by), the ones selected
 * for listing, and the API groups whose discovery failed.
 *
 * @param served every type, in discovery order (core group first), subresources excluded
 * @param selected the listable types the configuration selects, in discovery order
 * @param skippedGroups one {@link Skipped#GROUP} entry per group whose discovery failed
 */
public record Catalog(List<ResourceType> served, List<ResourceType> selected, List<Skipped> skippedGroups) {

    public Catalog {
        served = List.copyOf(served);
        selected = List.copyOf(selected);
        skippedGroups = List.copyOf(skippedGroups);
    }

    /**
     * The core group's Secrets and ConfigMaps, where Helm stores its releases, if served and
     * listable: a run reads them whether or not it collects them.
     */
    public List<ResourceType> helmStorage() {
        return served.stream()
                .filter(type -> HelmStorage.holds(type) && type.listable())
                .toList();
    }

    /**
     * The type catalog: one record per served type, collected or not and why.
     *
     * @param listingFailures the selected types that listing had to skip, with the reason
     */
    public List<TypeRecord> typeRecords(Map<ResourceType, Skipped.Reason> listingFailures) {
        Set<ResourceType> chosen = Set.copyOf(selected);
        return served.stream().map(type -> {
            String reason;
            if (!type.listable()) {
                reason = TypeRecord.NOT_LISTABLE;
            } else if (!chosen.contains(type)) {
                reason = TypeRecord.NOT_SELECTED;
            } else if (listingFailures.containsKey(type)) {
                reason = listingFailures.get(type).wire();
            } else {
                reason = null;
            }
            return new TypeRecord(type.group(), type.version(), type.kind(), type.resource(), type.namespaced(),
                    type.verbs(), reason == null, reason);
        }).toList();
    }
}
