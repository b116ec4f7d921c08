package io.k8scollector.collector.run;

import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.enrichment.ArgoApplications;
import io.k8scollector.collector.listing.ObjectObserver;
import io.k8scollector.collector.listing.ObjectView;
import io.k8scollector.collector.tracking.PendingChanges;
import io.k8scollector.protocol.HelmRelease;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Argo CD release records of a continuous run: the pipeline's observer of each Application
 * watched or listed again derives its record, as a full run does and before redaction; a gone
 * Application marks its record gone; the next flush makes pending each record that differs from
 * the one shipped, and the deletion of each whose Application went or derives none now (not a
 * Helm chart or directory). Thread-safe: watch threads observe, the run's thread flushes.
 */
final class ArgoReleaseRefresh implements ObjectObserver {

    private final KeyedDigest digest;
    private final PendingChanges pending;
    private final Clock clock;
    /** By key: the record derived, or empty when none is. */
    private final Map<RecordKey, Optional<HelmRelease>> changed = new ConcurrentHashMap<>();

    ArgoReleaseRefresh(KeyedDigest digest, PendingChanges pending, Clock clock) {
        this.digest = digest;
        this.pending = pending;
        this.clock = clock;
    }

    @Override
    public ObjectView view(ResourceType type) {
        return ArgoApplications.isApplication(type) ? ObjectView.WHOLE : ObjectView.NONE;
    }

    @Override
    public void observe(ObjectNode object) {
        ArgoApplications one = new ArgoApplications(digest);
        one.observe(object);
        JsonNode metadata = object.path("metadata");
        changed.put(RecordKey.helmRelease(ArgoApplications.SOURCE, metadata.path("namespace").asString(""),
                metadata.path("name").asString("")), one.releases().stream().findFirst());
    }

    /** An object of {@code type} went: when an Argo CD Application, so does its release. */
    void gone(ResourceType type, String namespace, String name) {
        if (ArgoApplications.isApplication(type)) {
            changed.put(RecordKey.helmRelease(ArgoApplications.SOURCE, namespace == null ? "" : namespace, name),
                    Optional.empty());
        }
    }

    boolean isEmpty() {
        return changed.isEmpty();
    }

    void clear() {
        changed.clear();
    }

    /** Makes pending what changed since the last flush against what {@code shipped} holds. */
    void flush(ShippedRecords shipped) {
        Instant now = clock.instant();
        for (RecordKey key : List.copyOf(changed.keySet())) {
            Optional<HelmRelease> release = changed.remove(key);
            if (release.isPresent()) {
                shipped.offer(key, Json.MAPPER.writeValueAsBytes(release.get()), pending, now);
            } else {
                ShippedRecords.deleteReleases(Set.of(key), pending, now);
            }
        }
    }
}
