package io.k8scollector.collector.run;

import io.k8scollector.collector.Version;
import io.k8scollector.collector.config.CollectorConfig.Selection;
import io.k8scollector.collector.config.CollectorConfig;
import io.k8scollector.collector.discovery.ApiServer;
import io.k8scollector.collector.discovery.Catalog;
import io.k8scollector.collector.discovery.RequestRate;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.discovery.TypeDiscovery;
import io.k8scollector.collector.discovery.TypeSelection;
import io.k8scollector.collector.enrichment.ArgoApplications;
import io.k8scollector.collector.enrichment.HelmReleases;
import io.k8scollector.collector.enrichment.OwnershipTree;
import io.k8scollector.collector.listing.ItemReader;
import io.k8scollector.collector.listing.ListedObject;
import io.k8scollector.collector.listing.Listing;
import io.k8scollector.collector.listing.TypeLister;
import io.k8scollector.collector.listing.TypeListing;
import io.k8scollector.collector.redaction.KeyedDigest;
import io.k8scollector.collector.redaction.Redactor;
import io.k8scollector.collector.retry.Retrier;
import io.k8scollector.collector.shipping.Sink;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.HelmRelease;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.node.ObjectNode;

/**
 * One collection run, top to bottom: discover > list pages > enrich and redact > serialise >
 * size check > sink > derived records > commit. Partial failure is normal: a group, type or
 * object that cannot be had is recorded as skipped and the run goes on; what cannot be skipped
 * (the API server unreachable, the sink refusing the snapshot) throws a
 * {@link io.k8scollector.collector.CollectorException}. Every log line carries the run id
 * ({@code runId} in the MDC, the fetching id).
 */
public final class CollectionRun {

    private static final Logger LOG = LoggerFactory.getLogger(CollectionRun.class);

    /** Helm labels every release it stores, in Secrets and ConfigMaps alike. */
    private static final String HELM_STORAGE_SELECTOR = "owner=helm";

    private final CollectorConfig config;
    private final ApiServer server;
    private final Sink sink;
    private final Clock clock;
    private final Redactor redactor;
    private final HelmReleases helm;
    private final ArgoApplications argo;
    private final OwnershipTree trees = new OwnershipTree();
    /** The run's pace and retries for every request to the API server, discovery and both listing passes alike. */
    private final RequestRate apiRate;
    private final Retrier apiRetrier;
    private final Queue<Skipped> skippedObjects = new ConcurrentLinkedQueue<>();

    public CollectionRun(CollectorConfig config, ApiServer server, Sink sink, Clock clock) {
        this.config = config;
        this.server = server;
        this.sink = sink;
        this.clock = clock;
        this.redactor = Redactor.from(config.redaction());
        KeyedDigest digest = new KeyedDigest(config.redaction().key());
        this.helm = new HelmReleases(digest);
        this.argo = new ArgoApplications(digest);
        this.apiRate = new RequestRate(config.limits().apiQps());
        this.apiRetrier = Retrier.of(config.shipping().retry());
    }

    /** Runs the collection once and reports what it did. */
    public RunReport run() {
        Instant started = clock.instant();
        String fetchingId = FetchingId.generate(started);
        MDC.put("runId", fetchingId);
        try {
            LOG.info("Collecting cluster {} from {}.", config.clusterId(), server.base());
            List<String> namespaceScope = NamespaceScope.warnings(config.selection());
            namespaceScope.forEach(LOG::warn);
            apiRate.acquire();
            String clusterUniqueId = server.clusterUniqueId();
            Catalog catalog = new TypeDiscovery(server, TypeSelection.of(config.selection()), apiRate, apiRetrier).discover();
            sink.open(config.clusterId(), new FetchingStart(fetchingId, clusterUniqueId,
                    config.shipping().overrideUniqueClusterId(), new FetchingStart.Collector(Version.current()), started));

            List<ResourceType> helmStorage = catalog.helmStorage();
            Set<ResourceType> helmInMainPass = config.selection().labelSelector() == null
                    ? Set.copyOf(helmStorage.stream().filter(catalog.selected()::contains).toList())
                    : Set.of();
            List<TypeListing> listings = listing(config.selection()).listAll(catalog.selected(),
                    type -> reader(type, helmInMainPass.contains(type)),
                    (type, object) -> object(type, object, helmInMainPass.contains(type)));
            Map<ResourceType, Skipped.Reason> failures = new HashMap<>();
            List<Skipped> skipped = new ArrayList<>(catalog.skippedGroups());
            for (TypeListing listing : listings) {
                listing.skipped().ifPresent(entry -> {
                    failures.put(listing.type(), listing.skipReason());
                    skipped.add(entry);
                });
                skipped.addAll(listing.refused());
                if (!listing.complete() && isArgoApplication(listing.type())) {
                    skipped.add(Skipped.helmStorage(ArgoApplications.SOURCE, null, listing.skipReason(),
                            "Argo CD Applications were not read: " + listing.message()));
                }
            }
            skipped.addAll(readHelmStorage(helmStorage, helmInMainPass, listings));
            sendReleases(helm.releases());
            sendReleases(argo.releases());
            send(RecordKind.TYPES, catalog.typeRecords(failures));
            send(RecordKind.TREES, trees.roots());
            skipped.addAll(helm.skipped());
            List<String> notes = new ArrayList<>(namespaceScope);
            if (trees.cut() > 0) {
                notes.add("Ownership trees deeper than " + OwnershipTree.MAX_LEVELS + " levels were cut there: "
                        + trees.cut() + " node(s) left out of them (the objects are still sent).");
            }
            if (config.redaction().randomKey()) {
                notes.add("Digests use a random key for this dry-run only: they will not match another run's.");
            }
            skipped.addAll(skippedObjects);
            Counts counts = sink.commit(skipped, clock.instant(), new Commit.Report(config.redaction().keyId()));
            Duration duration = Duration.between(started, clock.instant());
            RunReport report = new RunReport(fetchingId, clusterUniqueId, listings, skipped, counts, duration,
                    sink.stats(), trees.cut(), notes);
            report.log(LOG);
            return report;
        } catch (RuntimeException e) {
            sink.abort(e, clock.instant());
            throw e;
        } finally {
            MDC.remove("runId");
        }
    }

    /**
     * How objects of {@code type} are read: most are redacted as they are copied from the list
     * response; those that a redaction step needs whole (Secrets, ConfigMaps, custom resources,
     * Argo CD's among them), Helm's storage and those the trees read beyond their metadata are
     * read as trees.
     */
    private ItemReader reader(ResourceType type, boolean helmStorage) {
        boolean whole = helmStorage || OwnershipTree.readsSpecOf(type.kind()) || !redactor.copies(type);
        return whole ? ItemReader.TREE : redactor.copy();
    }

    /**
     * One object's way to the sink, on the listing thread that parsed it. Enrichment observes
     * the raw object first (Helm payloads are still there), then redaction edits it in place,
     * unless its reader already wrote the redacted record; the size limit applies to what would
     * be sent.
     */
    private void object(ResourceType type, ListedObject listed, boolean helmStorage) {
        ObjectNode object = listed.object();
        if (helmStorage) {
            helm.observe(object);
        }
        argo.observe(object);
        trees.observe(object);
        byte[] record = listed.record();
        if (record == null) {
            redactor.redact(type, object);
            record = Json.MAPPER.writeValueAsBytes(object);
        }
        if (record.length > config.limits().maxItemSizeKb() * 1024L) {
            tooLarge(type, object, record.length);
            return;
        }
        sink.accept(RecordKind.OBJECTS, record);
    }

    /**
     * Reads Helm's release storage whether or not Secrets and ConfigMaps are collected, and
     * without the configured label selector: only the types the main pass did not already read
     * in full are listed again, by Helm's own label, and nothing of them is sent as objects.
     *
     * @return a skipped entry for each storage that could not be read, so that the endpoint
     *     carries its releases over instead of taking them as uninstalled
     */
    private List<Skipped> readHelmStorage(
            List<ResourceType> storage, Set<ResourceType> inMainPass, List<TypeListing> mainPass) {
        Set<ResourceType> readInFull = new HashSet<>();
        for (TypeListing listing : mainPass) {
            if (listing.complete() && inMainPass.contains(listing.type())) {
                readInFull.add(listing.type());
            }
        }
        List<ResourceType> rest = storage.stream().filter(type -> !readInFull.contains(type)).toList();
        Selection selection = config.selection();
        Selection helmOnly = new Selection(selection.resources(), selection.toggles(), selection.excludes(),
                selection.watchNamespace(), selection.ignoreNamespaces(), HELM_STORAGE_SELECTOR);
        List<Skipped> unread = new ArrayList<>();
        List<TypeListing> listings = listing(helmOnly).listAll(
                rest, type -> ItemReader.TREE, (type, object) -> helm.observe(object.object()));
        for (TypeListing listing : listings) {
            if (!listing.complete()) {
                LOG.warn("Helm releases stored in {} were not read: {}", listing.type().qualifiedName(), listing.message());
                String kind = listing.type().resource().equals("secrets")
                        ? HelmReleases.STORAGE_SECRET
                        : HelmReleases.STORAGE_CONFIGMAP;
                unread.add(Skipped.helmStorage(HelmReleases.SOURCE, kind, listing.skipReason(),
                        "Helm releases stored in " + listing.type().qualifiedName() + " were not read: "
                                + listing.message()));
            }
        }
        return unread;
    }

    private static boolean isArgoApplication(ResourceType type) {
        return type.group().equals("argoproj.io") && type.kind().equals("Application");
    }

    private void send(RecordKind kind, List<?> records) {
        for (Object record : records) {
            sink.accept(kind, Json.MAPPER.writeValueAsBytes(record));
        }
    }

    /** Sends each release record unless it is larger than an object may be: that one is a skipped record instead. */
    private void sendReleases(List<HelmRelease> releases) {
        long limit = config.limits().maxItemSizeKb() * 1024L;
        for (HelmRelease release : releases) {
            byte[] record = Json.MAPPER.writeValueAsBytes(release);
            if (record.length > limit) {
                String name = release.namespace() + "/" + release.name();
                LOG.warn("Skipping the {} Helm release {}: {} KiB is over collector.maxItemSizeKb ({}).",
                        release.source(), name, record.length / 1024, config.limits().maxItemSizeKb());
                skippedObjects.add(Skipped.record(Skipped.HELM_RELEASE, name, Skipped.Reason.TOO_LARGE,
                        record.length / 1024 + " KiB is over collector.maxItemSizeKb ("
                                + config.limits().maxItemSizeKb() + ")."));
            } else {
                sink.accept(RecordKind.HELM_RELEASES, record);
            }
        }
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

    private Listing listing(Selection selection) {
        CollectorConfig.Limits limits = config.limits();
        TypeLister lister = new TypeLister(server, selection, limits.listPageSize(), apiRate, apiRetrier);
        return new Listing(lister, limits.listConcurrency());
    }
}
