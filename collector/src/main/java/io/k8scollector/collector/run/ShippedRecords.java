package io.k8scollector.collector.run;

import io.k8scollector.collector.tracking.PendingChanges;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.RecordKey;
import io.k8scollector.protocol.RecordKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A digest of each Helm release and type record the endpoint holds, by key, as committed: what a
 * continuous run compares a record derived again with, so that it sends only those that changed.
 * Used from the run's thread.
 */
final class ShippedRecords {

    private final Map<RecordKey, Long> digests = new HashMap<>();

    /** What a full fetching shipped, in place of what was held. */
    void replaceWith(Map<RecordKey, Long> shipped) {
        digests.clear();
        digests.putAll(shipped);
    }

    /** Makes record {@code json} pending unless the endpoint holds it as it is. */
    void offer(RecordKey key, byte[] json, PendingChanges pending, Instant now) {
        Long was = digests.get(key);
        if (was == null || was != RecordDigest.of(json)) {
            pending.upsert(key, json, now);
        }
    }

    /** The keys held that {@code filter} accepts. */
    Set<RecordKey> keys(Predicate<RecordKey> filter) {
        Set<RecordKey> keys = new HashSet<>();
        digests.keySet().stream().filter(filter).forEach(keys::add);
        return keys;
    }

    /** A record committed: the endpoint holds it as it is. */
    void committed(RecordKey key, byte[] json) {
        if (key.kind() == RecordKind.HELM_RELEASES || key.kind() == RecordKind.TYPES) {
            digests.put(key, RecordDigest.of(json));
        }
    }

    /** A record's deletion committed. */
    void deleted(RecordKey key) {
        digests.remove(key);
    }

    /** Makes pending the deletion of each Helm release of {@code keys} (source/namespace/name). */
    static void deleteReleases(Set<RecordKey> keys, PendingChanges pending, Instant now) {
        for (RecordKey key : keys) {
            String[] parts = key.value().split("/", 3);
            pending.delete(Deletion.helmRelease(parts[0], parts[1], parts[2]), now);
        }
    }
}
