package io.k8scollector.collector.run;

import io.k8scollector.collector.CollectorException;
import io.k8scollector.collector.config.CollectorConfig;
import io.k8scollector.collector.config.CollectorConfig.Selection;
import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.collector.discovery.ApiServer;
import io.k8scollector.collector.discovery.HelmStorage;
import io.k8scollector.collector.discovery.RequestRate;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.enrichment.HelmReleases;
import io.k8scollector.collector.listing.ItemReader;
import io.k8scollector.collector.listing.ListingOutcome;
import io.k8scollector.collector.listing.TypeLister;
import io.k8scollector.collector.retry.Retrier;
import io.k8scollector.collector.tracking.PendingChanges;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.HelmRelease;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Helm releases whose storage a continuous run's watches saw change (a Secret or ConfigMap
 * labelled {@code owner=helm}), derived again at the next flush: the release's storage listed
 * again ({@code owner=helm,name=<release>} in its namespace) and the release made pending as a
 * full run derives it, or its deletion when no revision is left (uninstalled). Watch threads mark;
 * the run's thread derives.
 */
final class HelmReleaseRefresh {

    /** A Helm release by the storage type that holds it, its namespace and its name. */
    private record HelmName(ResourceType type, String namespace, String name) {}

    private final CollectorConfig config;
    private final ApiServer server;
    private final RequestRate rate;
    private final KeyedDigest digest;
    private final PendingChanges pending;
    private final Clock clock;
    private final Set<HelmName> changed = new LinkedHashSet<>();

    HelmReleaseRefresh(CollectorConfig config, ApiServer server, RequestRate rate, KeyedDigest digest,
            PendingChanges pending, Clock clock) {
        this.config = config;
        this.server = server;
        this.rate = rate;
        this.digest = digest;
        this.pending = pending;
        this.clock = clock;
    }

    /** Marks the release whose storage {@code object} of {@code type} is, if it is Helm's. */
    void changed(ResourceType type, String namespace, ObjectNode object) {
        if (HelmStorage.holds(type) && HelmStorage.ownedByHelm(object)) {
            String release = object.path("metadata").path("labels").path("name").asString("");
            if (!release.isEmpty()) {
                synchronized (changed) {
                    changed.add(new HelmName(type, namespace, release));
                }
            }
        }
    }

    boolean isEmpty() {
        synchronized (changed) {
            return changed.isEmpty();
        }
    }

    void clear() {
        synchronized (changed) {
            changed.clear();
        }
    }

    /**
     * Derives each marked release again and makes it pending, or its deletion.
     *
     * @throws CollectorException when a release's storage could not be read; it and those after
     *     it stay marked
     */
    void derive() {
        List<HelmName> marked;
        synchronized (changed) {
            marked = new ArrayList<>(changed);
            changed.clear();
        }
        Selection selection = config.selection();
        for (int i = 0; i < marked.size(); i++) {
            HelmName release = marked.get(i);
            HelmReleases helm = new HelmReleases(digest);
            Selection one = new Selection(selection.resources(), selection.toggles(), selection.excludes(),
                    release.namespace(), selection.ignoreNamespaces(), HelmStorage.SELECTOR + ",name=" + release.name());
            ListingOutcome listing = new TypeLister(server, one, config.limits().listPageSize(), rate,
                    Retrier.of(config.shipping().retry()))
                    .list(release.type(), ItemReader.TREE, listed -> helm.observe(listed.head()));
            if (!listing.complete()) {
                synchronized (changed) {
                    changed.addAll(marked.subList(i, marked.size()));
                }
                throw new CollectorException("Reading the storage of Helm release " + release.namespace() + "/"
                        + release.name() + " failed: " + listing.message());
            }
            List<HelmRelease> derived = helm.releases().stream()
                    .filter(found -> release.name().equals(found.name()) && release.namespace().equals(found.namespace()))
                    .toList();
            Instant now = clock.instant();
            if (derived.isEmpty()) {
                pending.delete(Deletion.helmRelease(HelmReleases.SOURCE, release.namespace(), release.name()), now);
            }
            for (HelmRelease found : derived) {
                pending.upsert(RecordKey.of(found), Json.MAPPER.writeValueAsBytes(found), now);
            }
        }
    }
}
