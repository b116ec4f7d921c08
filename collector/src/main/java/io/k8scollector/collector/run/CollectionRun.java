package io.k8scollector.collector.run;

import io.k8scollector.collector.Version;
import io.k8scollector.collector.config.CollectorConfig;
import io.k8scollector.collector.discovery.ApiServer;
import io.k8scollector.collector.discovery.Catalog;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.discovery.TypeDiscovery;
import io.k8scollector.collector.discovery.TypeSelection;
import io.k8scollector.collector.listing.Listing;
import io.k8scollector.collector.listing.RequestRate;
import io.k8scollector.collector.listing.TypeLister;
import io.k8scollector.collector.listing.TypeListing;
import io.k8scollector.collector.shipping.Sink;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import io.k8scollector.protocol.TypeRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.node.ObjectNode;

/**
 * One collection run, top to bottom: discover > list pages > (enrich, redact) > serialise >
 * size check > sink > commit. Partial failure is normal: a group, type or object that cannot be
 * had is recorded as skipped and the run goes on; what cannot be skipped (the API server
 * unreachable, the sink refusing the snapshot) throws a
 * {@link io.k8scollector.collector.CollectorException}. Every log line carries the run id
 * ({@code runId} in the MDC, the fetching id).
 */
public final class CollectionRun {

    private static final Logger LOG = LoggerFactory.getLogger(CollectionRun.class);

    private final CollectorConfig config;
    private final ApiServer server;
    private final Sink sink;
    private final Clock clock;
    private final Queue<Skipped> skippedObjects = new ConcurrentLinkedQueue<>();

    public CollectionRun(CollectorConfig config, ApiServer server, Sink sink, Clock clock) {
        this.config = config;
        this.server = server;
        this.sink = sink;
        this.clock = clock;
    }

    /** Runs the collection once and reports what it did. */
    public RunReport run() {
        Instant started = clock.instant();
        String fetchingId = FetchingId.generate(started);
        MDC.put("runId", fetchingId);
        try {
            LOG.info("Collecting cluster {} from {}.", config.clusterId(), server.base());
            String clusterUniqueId = server.clusterUniqueId();
            Catalog catalog = new TypeDiscovery(server, TypeSelection.of(config.selection())).discover();
            sink.open(config.clusterId(), new FetchingStart(fetchingId, clusterUniqueId,
                    config.overrideUniqueClusterId(), new FetchingStart.Collector(Version.current()), started));

            List<TypeListing> listings = listing().listAll(catalog.selected(), this::object);

            Map<ResourceType, Skipped.Reason> failures = new HashMap<>();
            List<Skipped> skipped = new ArrayList<>(catalog.skippedGroups());
            for (TypeListing listing : listings) {
                listing.skipped().ifPresent(entry -> {
                    failures.put(listing.type(), listing.skipReason());
                    skipped.add(entry);
                });
            }
            for (TypeRecord type : catalog.typeRecords(failures)) {
                sink.accept(RecordKind.TYPES, Json.MAPPER.writeValueAsBytes(type));
            }
            skipped.addAll(skippedObjects);
            Counts counts = sink.commit(skipped, clock.instant());
            Duration duration = Duration.between(started, clock.instant());
            LOG.info("Run finished in {} ms: {} objects, {} types, {} skipped.",
                    duration.toMillis(), counts.objects(), counts.types(), skipped.size());
            return new RunReport(fetchingId, clusterUniqueId, listings, skipped, counts, duration, sink.stats());
        } finally {
            MDC.remove("runId");
        }
    }

    /**
     * One object's way to the sink, on the listing thread that parsed it. Enrichment observes
     * the raw object first, then redaction edits it in place; only then is it serialised, so
     * the size limit applies to what would be sent.
     */
    private void object(ResourceType type, ObjectNode object) {
        byte[] record = Json.MAPPER.writeValueAsBytes(object);
        if (record.length > config.limits().maxItemSizeKb() * 1024L) {
            tooLarge(type, object, record.length);
            return;
        }
        sink.accept(RecordKind.OBJECTS, record);
    }

    private void tooLarge(ResourceType type, ObjectNode object, int size) {
        String namespace = object.path("metadata").path("namespace").asString(null);
        String name = object.path("metadata").path("name").asString(null);
        LOG.warn("Skipping {} {}/{}: {} KiB is over collector.maxItemSizeKb ({}).",
                type.qualifiedName(), namespace, name, size / 1024, config.limits().maxItemSizeKb());
        skippedObjects.add(Skipped.object(type.group(), type.version(), type.resource(), namespace, name,
                Skipped.Reason.TOO_LARGE, size / 1024 + " KiB is over collector.maxItemSizeKb ("
                        + config.limits().maxItemSizeKb() + ")."));
    }

    private Listing listing() {
        CollectorConfig.Limits limits = config.limits();
        TypeLister lister = new TypeLister(server, config.selection(), limits.listPageSize(), new RequestRate(limits.apiQps()));
        return new Listing(lister, limits.listConcurrency());
    }
}
