package io.k8scollector.collector.run;

import io.k8scollector.collector.Version;
import io.k8scollector.collector.config.CollectorConfig;
import io.k8scollector.collector.config.CollectorConfig.Selection;
import io.k8scollector.collector.config.ContinuousSettings;
import io.k8scollector.collector.config.NamespaceScope;
import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.collector.discovery.ApiServer;
import io.k8scollector.collector.discovery.Catalog;
import io.k8scollector.collector.discovery.RequestRate;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.discovery.TypeDiscovery;
import io.k8scollector.collector.discovery.TypeSelection;
import io.k8scollector.collector.enrichment.ArgoApplications;
import io.k8scollector.collector.enrichment.HelmReleases;
import io.k8scollector.collector.enrichment.HelmStorageReading;
import io.k8scollector.collector.enrichment.OwnershipTree;
import io.k8scollector.collector.enrichment.TreeJson;
import io.k8scollector.collector.listing.ConcurrentLister;
import io.k8scollector.collector.listing.ListingOutcome;
import io.k8scollector.collector.listing.ObjectObserver;
import io.k8scollector.collector.listing.TypeLister;
import io.k8scollector.collector.redaction.Redactor;
import io.k8scollector.collector.retry.Retrier;
import io.k8scollector.collector.shipping.ShippedRecord;
import io.k8scollector.collector.shipping.ShippingStats;
import io.k8scollector.collector.shipping.Sink;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.HelmRelease;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.Skipped;
import io.k8scollector.protocol.TypeRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One collection run, top to bottom: discover > list pages > observe, redact, serialise, size
 * check and key each object ({@link ObjectPipeline}) > sink > Helm's storage not read yet
 * ({@link HelmStorageReading}) > derived records (releases, types, trees) > commit. Partial failure is normal: a group, type or
 * object that cannot be had is recorded as skipped and the run goes on; what cannot be skipped
 * (the API server unreachable, the sink refusing the snapshot) throws a
 * {@link io.k8scollector.collector.CollectorException}. Every log line carries the run id
 * ({@code runId} in the MDC, the fetching id).
 */
public final class CollectionRun {

    private static final Logger LOG = LoggerFactory.getLogger(CollectionRun.class);

    private final CollectorConfig config;
    private final ApiServer server;
    private final Sink sink;
    private final Clock clock;
    private final Redactor redactor;
    private final KeyedDigest digest;
    private final Supplier<OwnershipTree> trees;
    private final ObjectObserver shipped;
    private final Consumer<ListingOutcome> listed;

    public CollectionRun(CollectorConfig config, ApiServer server, Sink sink, Clock clock) {
        this(config, server, sink, clock, OwnershipTree::new, null, listing -> {});
    }

    /**
     * A run whose ownership trees are built in what {@code trees} gives for each run, whose
     * listed objects {@code shipped} also sees, when not null, and which tells {@code listed} of
     * each selected type's listing as soon as it ended, before the run commits (the continuous run
     * keeps the trees and the objects, and watches each type from its own list at once).
     */
    CollectionRun(CollectorConfig config, ApiServer server, Sink sink, Clock clock, Supplier<OwnershipTree> trees,
            ObjectObserver shipped, Consumer<ListingOutcome> listed) {
        this.trees = trees;
        this.shipped = shipped;
        this.listed = listed;
        this.config = config;
        this.server = server;
        this.sink = sink;
        this.clock = clock;
        this.redactor = Redactor.from(config.redaction());
        this.digest = new KeyedDigest(config.redaction().key());
    }

    /**
     * Runs the collection once and reports what it did. Everything a run gathers (trees, releases,
     * skipped objects) is its own: a second call starts from nothing.
     */
    public RunReport run() {
        Instant started = clock.instant();
        String fetchingId = FetchingId.generate(started);
        MDC.put("runId", fetchingId);
        try {
            LOG.info("Collecting cluster {} from {}.", config.clusterId(), server.base());
            List<String> namespaceScope = NamespaceScope.warnings(config.selection());
            namespaceScope.forEach(LOG::warn);
            // One pace and one retrier for every request of this run: discovery and both listing passes alike.
            RequestRate apiRate = new RequestRate(config.limits().apiQps());
            Retrier apiRetrier = Retrier.of(config.shipping().retry());
            apiRate.acquire();
            String clusterUniqueId = server.clusterUniqueId();
            Catalog catalog = new TypeDiscovery(server, TypeSelection.of(config.selection()), apiRate, apiRetrier)
                    .discover();
            sink.open(config.clusterId(), new FetchingStart(FetchingStart.PROTOCOL_1_1, fetchingId, null,
                    clusterUniqueId, config.shipping().overrideUniqueClusterId(), collector(config), started));

            OwnershipTree trees = this.trees.get();
            ArgoApplications argo = new ArgoApplications(digest);
            HelmReleases helm = new HelmReleases(digest);
            HelmStorageReading helmStorage = new HelmStorageReading(helm, catalog.helmStorage(), catalog.selected(),
                    config.selection());
            List<ObjectObserver> observers = new ArrayList<>(List.of(helmStorage, argo, trees));
            if (shipped != null) {
                observers.add(shipped);
            }
            ObjectPipeline objects = new ObjectPipeline(redactor, observers, config.limits().maxItemSizeKb(), sink);
            List<ListingOutcome> listings = listing(config.selection(), apiRate, apiRetrier)
                    .listAll(catalog.selected(), objects::reading, listed);

            List<Skipped> skipped = new ArrayList<>(catalog.skippedGroups());
            Map<ResourceType, Skipped.Reason> failures = new HashMap<>();
            for (ListingOutcome listing : listings) {
                listing.skipped().ifPresent(entry -> {
                    failures.put(listing.type(), listing.skipReason());
                    skipped.add(entry);
                });
                skipped.addAll(listing.refused());
            }
            skipped.addAll(argo.unread(listings));
            skipped.addAll(helmStorage.readRest(listings, selection -> listing(selection, apiRate, apiRetrier)));

            skipped.addAll(sendReleases(helm.releases()));
            skipped.addAll(sendReleases(argo.releases()));
            for (TypeRecord type : catalog.typeRecords(failures)) {
                sink.accept(ShippedRecord.of(type, Json.MAPPER.writeValueAsBytes(type)));
            }
            trees.forEachRoot(root -> sink.accept(ShippedRecord.of(root, TreeJson.bytes(root))));
            skipped.addAll(helm.skipped());
            skipped.addAll(objects.skipped());

            List<String> notes = new ArrayList<>(namespaceScope);
            if (trees.cut() > 0) {
                notes.add("Ownership trees deeper than " + OwnershipTree.MAX_LEVELS + " levels were cut there: "
                        + trees.cut() + " node(s) left out of them (the objects are still sent).");
            }
            if (config.redaction().randomKey()) {
                notes.add("Digests use a random key for this dry-run only: they will not match another run's.");
            }
            Counts counts = sink.commit(skipped, clock.instant(), report(started, apiRate, listings));
            Duration duration = Duration.between(started, clock.instant());
            RunReport report = new RunReport(fetchingId, clusterUniqueId, listings, skipped, counts, duration,
                    sink.stats(), trees.cut(), notes, catalog);
            report.log(LOG);
            return report;
        } catch (RuntimeException e) {
            sink.abort(e, clock.instant());
            throw e;
        } finally {
            MDC.remove("runId");
        }
    }

    /** What the collector says of itself at a start (protocol 1.1): its version, its mode, its heartbeat. */
    static FetchingStart.Collector collector(CollectorConfig config) {
        ContinuousSettings continuous = config.continuous();
        return new FetchingStart.Collector(Version.current(), continuous.mode().wireName(),
                continuous.continuous() ? (int) continuous.heartbeat().toSeconds() : null);
    }

    /** The commit's report: time, API requests, retries and bytes so far, objects per type. */
    private Commit.Report report(Instant started, RequestRate apiRate, List<ListingOutcome> listings) {
        ShippingStats stats = sink.stats();
        long retries = stats.retriesByCause().values().stream().mapToLong(Long::longValue).sum();
        List<Commit.TypeReport> types = listings.stream().filter(ListingOutcome::complete)
                .map(listing -> new Commit.TypeReport(listing.type().group(), listing.type().resource(),
                        listing.objects(), null, null))
                .toList();
        return new Commit.Report(Duration.between(started, clock.instant()).toMillis(), apiRate.requests(), 0L,
                retries, stats.bytesBeforeCompression(), stats.bytesAfterCompression(), config.redaction().keyId(),
                types);
    }

    /**
     * Sends each release record unless it is larger than an object may be.
     *
     * @return a skipped record for each release left out as too large
     */
    private List<Skipped> sendReleases(List<HelmRelease> releases) {
        int limitKb = config.limits().maxItemSizeKb();
        List<Skipped> tooLarge = new ArrayList<>();
        for (HelmRelease release : releases) {
            byte[] record = Json.MAPPER.writeValueAsBytes(release);
            if (record.length > limitKb * 1024L) {
                String name = release.namespace() + "/" + release.name();
                LOG.warn("Skipping the {} Helm release {}: {} KiB is over collector.maxItemSizeKb ({}).",
                        release.source(), name, record.length / 1024, limitKb);
                tooLarge.add(Skipped.record(Skipped.HELM_RELEASE, name, Skipped.Reason.TOO_LARGE,
                        record.length / 1024 + " KiB is over collector.maxItemSizeKb (" + limitKb + ")."));
            } else {
                sink.accept(ShippedRecord.of(release, record));
            }
        }
        return tooLarge;
    }

    private ConcurrentLister listing(Selection selection, RequestRate apiRate, Retrier apiRetrier) {
        CollectorConfig.Limits limits = config.limits();
        TypeLister lister = new TypeLister(server, selection, limits.listPageSize(), apiRate, apiRetrier);
        return new ConcurrentLister(lister, limits.listConcurrency());
    }
}
