package io.k8scollector.collector.run;

import io.k8scollector.collector.CollectorException;
import io.k8scollector.collector.config.CollectorConfig;
import io.k8scollector.collector.config.CollectorConfig.Selection;
import io.k8scollector.collector.config.ContinuousSettings;
import io.k8scollector.collector.discovery.ApiServer;
import io.k8scollector.collector.discovery.Catalog;
import io.k8scollector.collector.discovery.HelmStorage;
import io.k8scollector.collector.discovery.RequestRate;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.discovery.TypeDiscovery;
import io.k8scollector.collector.discovery.TypeSelection;
import io.k8scollector.collector.enrichment.ArgoApplications;
import io.k8scollector.collector.enrichment.HelmReleases;
import io.k8scollector.collector.enrichment.ObjectIndex;
import io.k8scollector.collector.enrichment.OwnershipTree;
import io.k8scollector.collector.enrichment.TreeJson;
import io.k8scollector.collector.health.CollectorHealth;
import io.k8scollector.collector.health.CollectorMetrics;
import io.k8scollector.collector.listing.ItemReader;
import io.k8scollector.collector.listing.ListedObject;
import io.k8scollector.collector.listing.ObjectObserver;
import io.k8scollector.collector.listing.ObjectView;
import io.k8scollector.collector.listing.TypeLister;
import io.k8scollector.collector.listing.ListingOutcome;
import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.collector.redaction.Redactor;
import io.k8scollector.collector.retry.Retrier;
import io.k8scollector.collector.shipping.BaseMismatch;
import io.k8scollector.collector.shipping.HttpSink;
import io.k8scollector.collector.shipping.ShippedRecord;
import io.k8scollector.collector.shipping.ShippingException;
import io.k8scollector.collector.tracking.IndexedObject;
import io.k8scollector.collector.tracking.PendingChanges;
import io.k8scollector.collector.watching.ObjectHead;
import io.k8scollector.collector.watching.TypeWatch;
import io.k8scollector.collector.watching.WatchEvent;
import io.k8scollector.collector.watching.WatchListener;
import io.k8scollector.collector.watching.WatchScope;
import io.k8scollector.collector.watching.WatchTiming;
import io.k8scollector.protocol.CompleteType;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.ErrorBody;
import io.k8scollector.protocol.HelmRelease;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKey;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import io.k8scollector.protocol.TypeRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import tools.jackson.databind.node.ObjectNode;

/**
 * The collector's continuous mode (protocol 1.1): a full fetching (a {@link CollectionRun}),
 * with a watch of every type it listed started as soon as that type's listing ended, from that
 * list's resourceVersion (what it sees before the commit goes in the first delta), and every
 * {@code collector.flushSeconds} a delta on the last committed fetching with what changed since:
 * each changed object redacted by the same {@link ObjectPipeline} as a full run, coalesced by key
 * ({@link PendingChanges}), a deletion for each deleted one; an empty delta (a heartbeat) when
 * nothing changed for {@code collector.heartbeatSeconds}. One fetching is open at a time: the
 * flushes run on the run's own thread, one after the other.
 *
 * <p>What the endpoint holds is kept without bodies: per object its identity and resourceVersion
 * ({@link ObjectIndex}, put as each object is committed, removed on its deletion's commit), per Helm
 * release and type record a digest. A relist compares what it lists with that and sends only the
 * differences, as a delta (new or changed objects redacted by the same pipeline, deletions for
 * what is gone), then watches the type from the new list: each {@code collector.resyncMinutes}
 * (every type), after a {@code 410 Gone} (that type), after pending changes were dropped past
 * {@code collector.maxPendingMb} (every type, once the endpoint answers a heartbeat), and for a
 * type whose watch was refused or keeps failing (listed at each resync, reported skipped, watched
 * again when it can be). A changed CustomResourceDefinition runs discovery again: a new type is
 * listed and watched, a removed one's type record and objects are deleted. Helm's storage is
 * watched by its own label when the main watches do not cover it. A delta the endpoint could not
 * take because it was unreachable is put back into the pending changes and sent again, on the
 * same base, once it answers (the fetching left open is aborted first).
 *
 * <p>It sends a full fetching again only on {@code base_mismatch}, a delta declined or refused
 * ({@code 400}, {@code 404}, {@code 409 incomplete}), and against a 1.0 endpoint (a start
 * answered {@code 204}): full fetchings only, at most one per
 * {@code collector.fullFetchingMinSeconds}, said once. An unreachable endpoint or API server is
 * waited out with backoff (reported in {@code /readyz}); credentials refused and an identity
 * conflict end it ({@link #FAILED}, after an abort); {@link #stop()} (SIGTERM) ships what is
 * pending within {@code collector.shutdownSeconds} and ends it ({@link #STOPPED}).
 *
 * <p>This class runs the loop, the watches and the flush; its parts keep the rest:
 * {@link EndpointSession} (base, left-open delta, {@code base_mismatch}, 1.0), {@link ShippedRecords}
 * and {@link SkippedEntries} (what the endpoint holds), {@link WatchedTypes}, the derived releases
 * ({@link HelmReleaseRefresh}, {@link ArgoReleaseRefresh}), {@link RelistReason} and
 * {@link ResyncListing} (listing again), {@link RecordingSink} and {@link ShippedIndexing} (the full
 * fetching), {@link ContinuousSummary} (the INFO line).
 */
public final class ContinuousRun {

    /** The run ended on {@link #stop()}: exit 0. */
    public static final int STOPPED = 0;
    /** The run cannot go on by itself (credentials refused, identity conflict): exit 1. */
    public static final int FAILED = 1;

    private static final Logger LOG = LoggerFactory.getLogger(ContinuousRun.class);
    /** One DEBUG line per delta and heartbeat, on a logger of its own, so that they can be asked for alone. */
    private static final Logger DELTAS = LoggerFactory.getLogger(ContinuousRun.class.getName() + ".deltas");
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration SUMMARY_EVERY = Duration.ofMinutes(1);
    /** The type whose changes change the types served. */
    private static final ResourceType CRDS = new ResourceType("apiextensions.k8s.io", "v1", "CustomResourceDefinition",
            "customresourcedefinitions", false, List.of());
    /** Consecutive failures after which a watch is given up while other watches work: its type is listed at each resync. */
    private static final int GIVE_UP_AFTER = 8;

    private final CollectorConfig config;
    private final ContinuousSettings settings;
    private final ApiServer server;
    private final HttpSink sink;
    private final Clock clock;
    private final CollectorHealth health;
    private final CollectorMetrics metrics;
    private final WatchTiming timing;
    private final PendingChanges pending;
    private final ObjectPipeline pipeline;
    private final RequestRate watchRate;
    /** Lists the selected types (the run's selection, page size, request rate and retrier). */
    private final TypeLister lister;
    /** Lists types again reading only what changed since shipped. */
    private final ResyncListing resyncListing;
    /** The main watch of each type; the full fetching's lister threads start them, under its lock. */
    private final Map<ResourceType, TypeWatch> watches = new LinkedHashMap<>();
    /** The full fetching is listing: a type's watch starts when its own listing ends (guarded by {@link #watches}). */
    private boolean fullListing;
    private final WatchedTypes types = new WatchedTypes();
    private final Set<ResourceType> expired = new LinkedHashSet<>();
    /** Helm releases whose storage changed since the last flush: derived again from their storage. */
    private final HelmReleaseRefresh helmChanged;
    /** Argo CD releases whose Application changed since the last flush (watched or listed again). */
    private final ArgoReleaseRefresh argoChanged;
    private final KeyedDigest digest;
    /** What the endpoint holds of each object, as committed: identity and resourceVersion, no body. */
    private volatile ObjectIndex shipped = new ObjectIndex();
    /** A digest of each Helm release and type record the endpoint holds, by key, as committed. */
    private final ShippedRecords recordsShipped = new ShippedRecords();
    /** Types to list again and compare with what was shipped, each with why. */
    private final Map<ResourceType, RelistReason> relist = new LinkedHashMap<>();
    /** Types listed without a watch (none, refused, given up): listed at each resync instead. */
    private final Set<ResourceType> unwatched = new LinkedHashSet<>();
    /** Watches refused or given up since the last flush, with the skipped entry that reports them. */
    private final Map<ResourceType, Skipped> watchesLost = new ConcurrentHashMap<>();
    /** Watches whose last attempt failed, with no event or bookmark since. */
    private final Set<ResourceType> failing = ConcurrentHashMap.newKeySet();
    /** The watches of Helm's storage by its own label, where the main watches do not cover it. */
    private final Map<ResourceType, TypeWatch> helmWatches = new LinkedHashMap<>();
    private volatile int watching;
    /** The Helm storage is to be listed again and its releases compared with those shipped. */
    private volatile boolean helmResync;
    private Catalog catalog;
    /** The selected types whose listing failed, for their type records. */
    private final Map<ResourceType, Skipped.Reason> listingFailures = new HashMap<>();
    /** The skipped entries the endpoint holds, and those it will once the next delta commits. */
    private final SkippedEntries skipped = new SkippedEntries();
    /** Types and record kinds the next delta sends whole. */
    private final Set<CompleteType> completeNext = new LinkedHashSet<>();
    /** Pending changes were dropped: a heartbeat must commit before the resync that replaces them. */
    private boolean probeFirst;
    private int round;
    /** The type being listed again and its round: what a delta shipped meanwhile counts as listed. */
    private ResourceType listingType;
    private int listingRound;
    private Instant lastResync;
    /** A CustomResourceDefinition changed: discovery runs again. */
    private volatile boolean typesChanged;
    /** An object changed since the last flush: the trees are built again and the changed ones sent. */
    private volatile boolean objectsChanged;
    /** The ownership trees of what was shipped, kept up to date with each change; it tells which trees changed. */
    private volatile OwnershipTree trees = new OwnershipTree();
    /** A digest of each tree shipped, by its root's uid: a tree is sent again only when it changed. */
    private final Map<String, Long> treesShipped = new HashMap<>();
    private final Object wakeUp = new Object();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicLong events = new AtomicLong();
    private volatile boolean stopping;
    /** The base deltas build on, the delta left open or awaiting its answer, and whether the endpoint speaks 1.0. */
    private final EndpointSession session;
    private Instant lastCommit;
    private Instant lastFull;
    /** When the next flush is due ({@link System#nanoTime()}): one period after the last one started. */
    private long nextFlush;
    private ContinuousSummary summary;

    /**
     * A run of {@code config} (whose mode is continuous) against {@code server}, shipping through
     * {@code sink}, reporting into {@code health} and {@code metrics}; {@code timing} paces its watches.
     */
    public ContinuousRun(CollectorConfig config, ApiServer server, HttpSink sink, Clock clock, CollectorHealth health,
            CollectorMetrics metrics, WatchTiming timing) {
        this.config = config;
        this.settings = config.continuous();
        this.server = server;
        this.sink = sink;
        this.clock = clock;
        this.health = health;
        this.metrics = metrics;
        this.timing = timing;
        this.pending = new PendingChanges(settings.maxPendingBytes());
        this.digest = new KeyedDigest(config.redaction().key());
        this.argoChanged = new ArgoReleaseRefresh(digest, pending, clock);
        this.pipeline = new ObjectPipeline(Redactor.from(config.redaction()), List.of(new LiveTrees(), argoChanged),
                config.limits().maxItemSizeKb(), this::changed);
        this.watchRate = new RequestRate(config.limits().apiQps());
        this.helmChanged = new HelmReleaseRefresh(config, server, watchRate, digest, pending, clock);
        this.session = new EndpointSession(config, sink, clock);
        this.lister = new TypeLister(server, config.selection(), config.limits().listPageSize(), watchRate,
                Retrier.of(config.shipping().retry()));
        this.resyncListing = new ResyncListing(lister, health::progressed);
    }

    /**
     * Runs until {@link #stop()} or a failure it cannot get past.
     *
     * @return {@link #STOPPED} or {@link #FAILED}
     */
    public int run() {
        try {
            return loop();
        } finally {
            closeWatches();
            finished.countDown();
        }
    }

    /** Asks the run to ship what is pending and end (SIGTERM); returns at once. */
    public void stop() {
        stopping = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    /** Waits up to {@code timeout} for {@link #run()} to return; whether it did. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private int loop() {
        boolean needFull = true;
        Duration backoff = FIRST_BACKOFF;
        summary = new ContinuousSummary(clock.instant());
        while (!stopping) {
            try {
                if (needFull) {
                    full();
                    needFull = false;
                } else {
                    waitForFlush();
                    if (stopping) {
                        break;
                    }
                    needFull = flush();
                }
                backoff = FIRST_BACKOFF;
            } catch (DeltaDeclined e) {
                needFull = true;
            } catch (BaseMismatch e) {
                if (!session.baseMismatch(e)) {
                    needFull = true;
                }
            } catch (ShippingException e) {
                if (fatal(e)) {
                    LOG.error("The endpoint refused the collector for good, stopping: {}", e.getMessage());
                    sink.abort(e, clock.instant());
                    return FAILED;
                }
                if (e.unreachable()) {
                    metrics.retry();
                    LOG.warn("The endpoint is unreachable; waiting {} ms, then {}: {}", backoff.toMillis(),
                            needFull ? "a full fetching" : "the same changes as a delta", e.getMessage());
                    pause(backoff);
                    backoff = next(backoff);
                } else {
                    LOG.warn("The endpoint refused a delta ({}); sending a full fetching instead.", e.getMessage());
                    needFull = true;
                }
            } catch (CollectorException e) {
                metrics.retry();
                LOG.warn("{}; waiting {} ms, then {}: {}", needFull ? "The collection failed" : "Listing again failed",
                        backoff.toMillis(), needFull ? "a full fetching" : "listing again", e.getMessage());
                pause(backoff);
                backoff = next(backoff);
            }
        }
        if (!needFull) {
            // The watches end first, so that a change a listener is taking in is pending before
            // the last delta drains what is.
            closeWatches();
            lastDelta();
        }
        LOG.info("Stopped: {}", summary.line(clock.instant(), pending.size()));
        return STOPPED;
    }

    private static boolean fatal(ShippingException e) {
        return e.credentialsRefused() || ErrorBody.CLUSTER_CONFLICT.equals(e.code());
    }

    private static Duration next(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }

    /**
     * A full fetching of everything, each type it listed watched from its list's resourceVersion
     * as soon as its listing ended; what it shipped becomes what relists compare with.
     */
    private void full() {
        session.abortLeftOpen();
        closeWatches();
        pending.dropAll();
        relist.clear();
        unwatched.clear();
        watchesLost.clear();
        failing.clear();
        completeNext.clear();
        probeFirst = false;
        helmResync = false;
        session.fullStarting();
        synchronized (expired) {
            expired.clear();
        }
        helmChanged.clear();
        argoChanged.clear();
        typesChanged = false;
        objectsChanged = false;
        // one index holds both what the trees read of each object and what was shipped of it
        ObjectIndex index = new ObjectIndex();
        OwnershipTree fresh = new OwnershipTree(index);
        // the changes watched before the commit go into the trees being built: those sent after they were are as
        // shipped, the others differ from what was shipped and go in the first delta
        trees = fresh;
        Map<RecordKey, Long> records = new HashMap<>();
        Map<String, Long> treeDigests = new HashMap<>();
        RunReport report;
        synchronized (watches) {
            fullListing = true;
        }
        try {
            report = new CollectionRun(config, server, new RecordingSink(sink, records, treeDigests), clock,
                    () -> fresh, new ShippedIndexing(index), this::listed).run();
        } catch (RuntimeException e) {
            closeWatches();
            throw e;
        } finally {
            synchronized (watches) {
                fullListing = false;
            }
        }
        treesShipped.clear();
        treesShipped.putAll(treeDigests);
        shipped = index;
        recordsShipped.replaceWith(records);
        catalog = report.catalog();
        skipped.reset(report.skipped());
        listingFailures.clear();
        Instant now = clock.instant();
        lastCommit = now;
        lastFull = now;
        lastResync = now;
        nextFlush = System.nanoTime() + settings.flush().toNanos();
        session.fullCommitted(report.fetchingId(), report.clusterUniqueId(), settings.fullFetchingMin());
        health.committed(true);
        metrics.fullFetching(now);
        summary.full();
        for (ListingOutcome listing : report.listings()) {
            ResourceType type = listing.type();
            types.add(type);
            if (!listing.complete()) {
                listingFailures.put(type, listing.skipReason());
            }
            if (!watchable(listing)) {
                unwatched.add(type);
            }
        }
        LOG.info("Watching {} types from fetching {}; {} listed at each resync instead.", watches.size(), session.base(),
                unwatched.size());
        if (!session.protocol10() && catalog.helmStorage().stream().anyMatch(type -> !helmCovered(type))) {
            resyncHelm(true);
        }
    }

    /**
     * A type of the full fetching was listed: its watch starts now, from that list's
     * resourceVersion, rather than once every type was listed, when the history after it may be gone
     * (a {@code 410 Gone} and a relist). What it sees before the commit waits for the first delta.
     * Called on the thread that listed the type.
     */
    private void listed(ListingOutcome listing) {
        if (watchable(listing)) {
            synchronized (watches) {
                if (fullListing) {
                    watch(listing.type(), listing.resourceVersion());
                }
            }
        }
    }

    private static boolean watchable(ListingOutcome listing) {
        return listing.complete() && listing.resourceVersion() != null && listing.type().verbs().contains("watch");
    }

    private void watch(ResourceType type, String resourceVersion) {
        types.add(type);
        synchronized (watches) {
            watches.put(type, TypeWatch.start(server, type, WatchScope.of(config.selection()), timing, watchRate,
                    resourceVersion, new Listener(false)));
            watching = watches.size();
        }
    }

    private void closeWatches() {
        synchronized (watches) {
            watches.values().forEach(TypeWatch::close);
            watches.clear();
        }
        helmWatches.values().forEach(TypeWatch::close);
        helmWatches.clear();
        watching = 0;
    }

    /** Stops the main watch of {@code type}, if any; answers it (its state and resourceVersion stay readable). */
    private TypeWatch stopWatch(ResourceType type) {
        TypeWatch watch = watches.remove(type);
        if (watch != null) {
            watch.close();
        }
        watching = watches.size();
        return watch;
    }

    /** Whether the main watch of Helm storage type {@code type} sees every one of its storage objects. */
    private boolean helmCovered(ResourceType type) {
        return watches.containsKey(type) && config.selection().labelSelector() == null;
    }


    /**
     * Waits for the next flush, or less on {@link #stop()}: flushes start every
     * {@code collector.flushSeconds} (at once when the last one took longer), so that a change waits
     * at most that long for its delta, not that long plus the time the last delta took.
     */
    private void waitForFlush() {
        long left = nextFlush - System.nanoTime();
        if (left > 0) {
            pause(Duration.ofNanos(left));
        }
        nextFlush = System.nanoTime() + settings.flush().toNanos();
    }

    private void pause(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        synchronized (wakeUp) {
            while (!stopping) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(wakeUp, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping = true;
                }
            }
        }
    }

    /**
     * Ships what changed since the last commit, as the endpoint can take it: first what the
     * watches could not tell (types refused or given up, a CustomResourceDefinition changed, the
     * resync, watches expired, pending changes dropped) is listed again and compared with what was
     * shipped, then the pending changes go as one delta.
     *
     * @return whether a full fetching must follow (a delta declined, or a 1.0 endpoint's turn)
     * @throws CollectorException when a type that must be listed again could not be (it stays queued)
     */
    private boolean flush() {
        Instant now = clock.instant();
        if (now.isAfter(summary.since().plus(SUMMARY_EVERY))) {
            LOG.info("{}", summary.line(now, pending.size()));
            summary = new ContinuousSummary(now);
        }
        metrics.pending(pending.size());
        boolean resyncDue = settings.resync().isPresent() && !now.isBefore(lastResync.plus(settings.resync().get()));
        if (session.protocol10()) {
            boolean changed = pending.overflowed() || pending.size() > 0 || hasExpired() || !helmChanged.isEmpty()
                    || !argoChanged.isEmpty()
                    || typesChanged || resyncDue || !watchesLost.isEmpty() || helmResync;
            return changed && !now.isBefore(lastFull.plus(settings.fullFetchingMin()));
        }
        if (pending.overflowed()) {
            LOG.warn("More than {} MB of changes waited for the endpoint: dropped them; every type is listed again once"
                    + " it answers, and the differences sent.", settings.maxPendingBytes() / (1024 * 1024));
            pending.dropAll();
            // a type to be sent whole lost its objects with them: the relist finds them all new again
            for (CompleteType type : completeNext) {
                if (type.isObjectType()) {
                    catalog.selected().stream()
                            .filter(listed -> listed.group().equals(type.group()) && listed.resource().equals(type.resource()))
                            .forEach(listed -> shipped.ofType(listed).forEach(object -> shipped.remove(object.key())));
                }
            }
            // the trees dropped with them are sent again, all of them, and the endpoint's others deleted
            treesShipped.clear();
            objectsChanged = true;
            completeNext.add(CompleteType.records(RecordKind.TREES));
            probeFirst = true;
            queueEveryType(RelistReason.DROPPED);
        }
        if (probeFirst) {
            // a heartbeat first: nothing is listed again until the endpoint takes it
            if (!delta(PendingChanges.Batch.EMPTY, List.of(), null)) {
                return true;
            }
            probeFirst = false;
        }
        takeLostWatches();
        if (typesChanged) {
            rediscover();
        }
        if (resyncDue) {
            LOG.info("Resyncing: every type listed again and the differences sent, as every collector.resyncMinutes.");
            queueEveryType(RelistReason.RESYNC);
        }
        List<CompleteType> complete = relistExpired();
        if (helmResync) {
            resyncHelm(false);
            // Helm's storage read again may name the releases complete: in the delta that sends them
            complete = List.copyOf(completeNext);
        }
        if (resyncDue) {
            LOG.info("Resync listed every type again in {} ms; the differences go in this flush's delta.",
                    Duration.between(now, clock.instant()).toMillis());
        }
        helmChanged.derive();
        argoChanged.flush(recordsShipped);
        if (objectsChanged) {
            objectsChanged = false;
            changedTrees();
        }
        PendingChanges.Batch batch = pending.drain();
        List<Skipped> skippedList = skipped.changedList();
        if (batch.isEmpty() && complete.isEmpty() && skippedList == null
                && now.isBefore(lastCommit.plus(settings.heartbeat()))) {
            return false;
        }
        return !delta(batch, complete, skippedList);
    }

    /** Every selected type, to be listed again for {@code why}. */
    private void queueEveryType(RelistReason why) {
        for (ResourceType type : catalog.selected()) {
            relist.merge(type, why, RelistReason::stronger);
        }
        helmResync = true;
        lastResync = clock.instant();
    }

    /** Types whose watch was refused or given up: reported skipped, listed at each resync instead. */
    private void takeLostWatches() {
        for (ResourceType type : List.copyOf(watchesLost.keySet())) {
            Skipped entry = watchesLost.remove(type);
            stopWatch(type);
            failing.remove(type);
            unwatched.add(type);
            skipped.skip(entry);
        }
    }


    /**
     * Runs discovery again (a CustomResourceDefinition changed): a new type is queued to be listed
     * (its objects sent) and watched; a removed type's watch ends, its objects are deleted (the
     * endpoint deletes only the type record of a deleted type); the type records that changed are
     * sent, and those of the removed types deleted. A type of a group whose discovery failed is not
     * taken for removed.
     */
    private void rediscover() {
        Catalog found = new TypeDiscovery(server, TypeSelection.of(config.selection()), watchRate,
                Retrier.of(config.shipping().retry())).discover();
        typesChanged = false;
        Set<String> failedGroups = new HashSet<>();
        found.skippedGroups().forEach(group -> failedGroups.add(group.group()));
        // the types of a group whose discovery failed now stay as they were
        List<ResourceType> served = new ArrayList<>(found.served());
        List<ResourceType> selected = new ArrayList<>(found.selected());
        catalog.served().stream().filter(type -> failedGroups.contains(type.group())).forEach(served::add);
        catalog.selected().stream().filter(type -> failedGroups.contains(type.group())).forEach(selected::add);
        Catalog fresh = new Catalog(served, selected, found.skippedGroups());
        Set<ResourceType> now = new LinkedHashSet<>(fresh.selected());
        Instant seen = clock.instant();
        List<ResourceType> removed = new ArrayList<>();
        for (ResourceType type : catalog.selected()) {
            if (!now.contains(type) && !failedGroups.contains(type.group())) {
                removed.add(type);
            }
        }
        for (ResourceType type : removed) {
            stopWatch(type);
            unwatched.remove(type);
            relist.remove(type);
            listingFailures.remove(type);
            Skipped entry = skipped.forType(type);
            if (entry != null) {
                skipped.remove(List.of(entry));
                completeNext.add(CompleteType.objects(type.group(), type.resource(), type.kind()));
            }
            for (IndexedObject object : shipped.ofType(type)) {
                pending.delete(object.deletion(), seen);
                trees.forget(object.uid());
            }
            objectsChanged = true;
        }
        List<ResourceType> added = fresh.selected().stream().filter(type -> !catalog.selected().contains(type)).toList();
        for (ResourceType type : added) {
            types.add(type);
            relist.put(type, RelistReason.DROPPED);
        }
        catalog = fresh;
        LOG.info("A CustomResourceDefinition changed: discovery found {} new and {} removed types.", added.size(),
                removed.size());
        sendTypeRecords();
    }


    /** Makes pending the type records that changed since shipped, and the deletion of those no longer served. */
    private void sendTypeRecords() {
        Instant now = clock.instant();
        Set<RecordKey> gone = recordsShipped.keys(key -> key.kind() == RecordKind.TYPES);
        for (TypeRecord type : catalog.typeRecords(listingFailures)) {
            gone.remove(RecordKey.of(type));
            recordsShipped.offer(RecordKey.of(type), Json.MAPPER.writeValueAsBytes(type), pending, now);
        }
        for (RecordKey key : gone) {
            int slash = key.value().lastIndexOf('/');
            pending.delete(Deletion.type(key.value().substring(0, slash), key.value().substring(slash + 1)), now);
        }
    }

    /**
     * Makes pending the trees the changes since the last flush touched and that differ from what
     * was shipped (a root whose membership changed is sent whole), and the deletion of those whose
     * root went, got an owner or lost its last child. Only those trees are built and compared: the
     * others are as shipped.
     */
    private void changedTrees() {
        Instant now = clock.instant();
        for (OwnershipTree.Change change : trees.changes()) {
            if (change.tree() == null) {
                if (treesShipped.remove(change.root()) != null) {
                    pending.delete(Deletion.tree(change.root()), now);
                }
                continue;
            }
            byte[] json = TreeJson.bytes(change.tree());
            long digest = RecordDigest.of(json);
            Long shipped = treesShipped.put(change.root(), digest);
            if (shipped == null || shipped != digest) {
                pending.upsert(RecordKey.of(change.tree()), json, now);
            }
        }
    }



    private boolean hasExpired() {
        synchronized (expired) {
            return !expired.isEmpty();
        }
    }

    /**
     * Lists again each type whose watch expired and each type queued (resync, dropped changes, a
     * new type, a type without a watch), compares what it lists with what was shipped and makes
     * the differences pending; then watches each type from its new list.
     *
     * @return the types to name in {@code completeTypes}: those whose objects the endpoint carried
     *     over as skipped, which the delta now sends whole
     * @throws CollectorException when a type that must be listed again could not be; it stays
     *     queued, and what was found so far stays pending
     */
    private List<CompleteType> relistExpired() {
        synchronized (expired) {
            expired.forEach(type -> relist.merge(type, RelistReason.EXPIRED, RelistReason::stronger));
            expired.clear();
        }
        if (!relist.isEmpty() && pending.size() > 0) {
            // what the watches saw goes first, so that what is pending of a type listed again comes from its list
            shipMidway();
        }
        List<String> failed = new ArrayList<>();
        for (Map.Entry<ResourceType, RelistReason> queued : List.copyOf(relist.entrySet())) {
            String failure = relistOne(queued.getKey(), queued.getValue());
            if (failure != null) {
                failed.add(failure);
            }
        }
        List<CompleteType> complete = List.copyOf(completeNext);
        if (!failed.isEmpty()) {
            throw new CollectorException("Listing " + failed.size() + " types again failed; they are listed again later: "
                    + String.join("; ", failed));
        }
        return complete;
    }

    /**
     * Ships what is pending now as a delta, with the types sent whole whose objects are all in it
     * (the trees wait for the flush's last delta): a relist whose differences pass half of
     * {@code collector.maxPendingMb} goes out in several deltas rather than past the budget.
     *
     * @throws DeltaDeclined when the endpoint did not take it as a delta
     */
    private void shipMidway() {
        List<CompleteType> types = completeNext.stream().filter(CompleteType::isObjectType).toList();
        if (!delta(pending.drain(), types, null)) {
            throw new DeltaDeclined();
        }
    }

    /**
     * Lists {@code type} again in place of its watch and makes pending what differs from what was
     * shipped: each object that is new or has another resourceVersion (all of them when the
     * endpoint holds the type as skipped, which then leaves the skipped list and is sent whole),
     * and the deletion of each object shipped and no longer listed; {@link ResyncListing} reads
     * the metadata, then the bodies of only what changed. Then watches it from the new list (or,
     * when it has no watch verb, leaves it to the next resync).
     *
     * @param why why it is listed again: whether its metadata is read first, and whether a
     *     failed listing stays queued (changes were lost) or its old watch resumes where it was
     * @return null when done, else why the listing failed (the type stays queued)
     */
    private String relistOne(ResourceType type, RelistReason why) {
        boolean mustSucceed = why.mustSucceed;
        TypeWatch old = stopWatch(type);
        metrics.relist(type.resource());
        listingType = type;
        listingRound = ++round;
        boolean whole = skipped.forType(type) != null;
        ObjectIndex index = shipped;
        AtomicLong changed = new AtomicLong();
        ResyncListing.Relisted relisted;
        try {
            relisted = resyncListing.list(type, pipeline.reading(type), index, whole, why.metadataFirst, listingRound,
                    () -> listingRound = ++round, () -> {
                        changed.incrementAndGet();
                        if (!whole && pending.bytes() > settings.maxPendingBytes() / 2) {
                            shipMidway();
                        }
                    });
        } finally {
            listingType = null;
        }
        ListingOutcome outcome = relisted.outcome();
        if (!outcome.complete()) {
            boolean refused = outcome.skipReason() != Skipped.Reason.FAILED;
            if (old != null && old.state() == TypeWatch.State.CLOSED && !refused) {
                watch(type, old.resourceVersion());
            }
            if (refused) {
                LOG.warn("Listing {} again was refused; it stays skipped: {}", type.qualifiedName(), outcome.message());
                relist.remove(type);
                unwatched.add(type);
                listingFailures.put(type, outcome.skipReason());
                outcome.skipped().ifPresent(skipped::skip);
                sendTypeRecords();
                return null;
            }
            health.apiServerUnreachable(outcome.message());
            if (!mustSucceed && old != null && old.state() == TypeWatch.State.CLOSED) {
                LOG.warn("Listing {} again failed; its watch goes on: {}", type.qualifiedName(), outcome.message());
                relist.remove(type);
                return null;
            }
            return outcome.message();
        }
        health.apiServerAnswered();
        relist.remove(type);
        Instant now = clock.instant();
        List<IndexedObject> gone = index.unlisted(type, relisted.round());
        for (IndexedObject object : gone) {
            pending.delete(object.deletion(), now);
            trees.forget(object.uid());
            argoChanged.gone(type, object.namespace(), object.name());
        }
        objectsChanged = true;
        if (HelmStorage.holds(type) && (changed.get() > 0 || !gone.isEmpty())) {
            // which releases a vanished storage object held is not kept: every release is derived again
            helmResync = true;
        }
        if (whole) {
            skipped.remove(List.of(skipped.forType(type)));
            completeNext.add(CompleteType.objects(type.group(), type.resource(), type.kind()));
        }
        if (listingFailures.remove(type) != null) {
            sendTypeRecords();
        }
        if (outcome.resourceVersion() != null && type.verbs().contains("watch")) {
            unwatched.remove(type);
            watch(type, outcome.resourceVersion());
        } else {
            unwatched.add(type);
        }
        // a resync that finds nothing is no news: only differences are worth an INFO line
        LOG.atLevel(changed.get() > 0 || !gone.isEmpty() || whole ? Level.INFO : Level.DEBUG)
                .log("Listed {} again: {} objects, {} new or changed and {} gone since shipped{}.", type.qualifiedName(),
                        outcome.objects(), changed.get(), gone.size(), whole ? ", sent whole (it was skipped)" : "");
        return null;
    }

    /**
     * Lists Helm's storage again by its own label ({@value HelmStorage#SELECTOR}), derives the
     * releases as a full run does, and makes pending those that differ from what was shipped and
     * the deletion of those gone; then watches by that label each storage type the main watches
     * do not cover, from its new list. Nothing is deleted unless every storage type was read.
     *
     * @param uncoveredOnly list only the storage the main watches do not cover (after a full
     *     fetching, which read the rest): to start its watches
     */
    private void resyncHelm(boolean uncoveredOnly) {
        helmResync = false;
        HelmReleases helm = new HelmReleases(digest);
        Selection selection = config.selection();
        Selection helmOnly = new Selection(selection.resources(), selection.toggles(), selection.excludes(),
                selection.watchNamespace(), selection.ignoreNamespaces(), HelmStorage.SELECTOR);
        TypeLister storageLister = new TypeLister(server, helmOnly, config.limits().listPageSize(), watchRate,
                Retrier.of(config.shipping().retry()));
        boolean readAll = !uncoveredOnly;
        for (ResourceType storage : catalog.helmStorage()) {
            if (uncoveredOnly && helmCovered(storage)) {
                continue;
            }
            TypeWatch old = helmWatches.remove(storage);
            if (old != null) {
                old.close();
            }
            ListingOutcome listing = storageLister.list(storage, ItemReader.TREE, listed -> helm.observe(listed.head()));
            if (!listing.complete()) {
                readAll = false;
                LOG.warn("Helm releases stored in {} were not read again: {}", storage.qualifiedName(), listing.message());
                if (old != null && old.state() == TypeWatch.State.CLOSED) {
                    helmWatches.put(storage, TypeWatch.start(server, storage,
                            WatchScope.of(selection).withLabelSelector(HelmStorage.SELECTOR), timing, watchRate,
                            old.resourceVersion(), new Listener(true)));
                } else if (listing.skipReason() == Skipped.Reason.FAILED) {
                    helmResync = true;
                }
                continue;
            }
            if (!helmCovered(storage) && listing.resourceVersion() != null && storage.verbs().contains("watch")) {
                helmWatches.put(storage, TypeWatch.start(server, storage,
                        WatchScope.of(selection).withLabelSelector(HelmStorage.SELECTOR), timing, watchRate,
                        listing.resourceVersion(), new Listener(true)));
            }
        }
        Instant now = clock.instant();
        Set<RecordKey> gone = recordsShipped.keys(
                key -> key.kind() == RecordKind.HELM_RELEASES && key.value().startsWith(HelmReleases.SOURCE + "/"));
        for (HelmRelease release : helm.releases()) {
            gone.remove(RecordKey.of(release));
            recordsShipped.offer(RecordKey.of(release), Json.MAPPER.writeValueAsBytes(release), pending, now);
        }
        if (readAll) {
            ShippedRecords.deleteReleases(gone, pending, now);
            releasesReadAgain(helm.releases(), now);
        }
    }

    /**
     * Helm's storage was read in full again: the skipped entries of release storage that could not
     * be read (Helm's, and Argo CD's Applications) leave the list. Under them the endpoint carried
     * over its base's releases, which the run never saw: the delta names every Helm release record
     * complete and sends them all, Argo CD's too, from their Applications listed again (the
     * protocol's rule for a type that leaves the list). When the Applications cannot be listed,
     * the entries stay until the next resync.
     */
    private void releasesReadAgain(List<HelmRelease> fromStorage, Instant now) {
        List<Skipped> entries = skipped.releaseStorage();
        if (entries.isEmpty()) {
            return;
        }
        ArgoApplications argo = new ArgoApplications(digest);
        for (ResourceType type : catalog.selected()) {
            if (argo.view(type) == ObjectView.NONE) {
                continue;
            }
            ListingOutcome listing = lister.list(type, ItemReader.TREE, listed -> argo.observe(listed.head()));
            if (!listing.complete()) {
                LOG.warn("Argo CD Applications were not read again; the Helm releases stay reported skipped: {}",
                        listing.message());
                return;
            }
        }
        skipped.remove(entries);
        completeNext.add(CompleteType.records(RecordKind.HELM_RELEASES));
        Set<RecordKey> gone = recordsShipped.keys(key -> key.kind() == RecordKind.HELM_RELEASES);
        List<HelmRelease> all = new ArrayList<>(fromStorage);
        all.addAll(argo.releases());
        for (HelmRelease release : all) {
            gone.remove(RecordKey.of(release));
            pending.upsert(RecordKey.of(release), Json.MAPPER.writeValueAsBytes(release), now);
        }
        ShippedRecords.deleteReleases(gone, pending, now);
        LOG.info("Helm's release storage was read again: {} releases sent whole, no longer reported skipped.",
                all.size());
    }


    /**
     * One delta on the session's base ({@link EndpointSession#send}); then what it
     * committed is what the endpoint holds (the index and the digests). When the endpoint cannot be
     * reached, the batch goes back into the pending changes (newer ones win) and the fetching is
     * left open, to be aborted before the next start.
     *
     * @param skipped the complete skipped list when it changed, else null
     * @return false when the endpoint did not take it as a delta (1.0, or declined): a full fetching follows
     */
    private boolean delta(PendingChanges.Batch batch, List<CompleteType> complete, List<Skipped> skipped) {
        EndpointSession.Committed committed;
        try {
            committed = session.send(batch, types, complete, skipped, this.skipped.held(), () -> events.getAndSet(0));
        } catch (RuntimeException e) {
            // kept for the next delta; a full fetching that follows a refusal drops them
            if (!pending.putBack(batch)) {
                LOG.warn("The changes of delta {} did not fit in collector.maxPendingMb again.", session.leftOpen());
            }
            throw e;
        }
        if (committed == null) {
            return false;
        }
        String fetchingId = committed.fetchingId();
        Counts counts = committed.counts();
        List<ObjectHead> heads = committed.heads();
        List<ResourceType> headTypes = committed.types();
        for (int i = 0; i < heads.size(); i++) {
            ResourceType type = headTypes.get(i);
            if (type != null) {
                shipped.put(type, heads.get(i));
                if (type.equals(listingType)) {
                    shipped.listed(heads.get(i).key(), listingRound);
                }
            }
        }
        for (PendingChanges.Change change : batch.upserts()) {
            recordsShipped.committed(change.key(), change.record());
        }
        for (PendingChanges.Change change : batch.deletions()) {
            if (change.key().kind() == RecordKind.OBJECTS) {
                shipped.remove(change.key());
            } else {
                recordsShipped.deleted(change.key());
            }
        }
        completeNext.removeAll(complete);
        this.skipped.committed(skipped, sink.refusedAlone());
        Instant now = clock.instant();
        lastCommit = now;
        health.committed(false);
        if (counts.isEmpty() && complete.isEmpty()) {
            metrics.heartbeat(now);
            summary.heartbeat();
            DELTAS.debug("Heartbeat {} committed.", fetchingId);
        } else {
            List<Duration> lags = new ArrayList<>();
            batch.upserts().forEach(change -> lags.add(Duration.between(change.seen(), now)));
            batch.deletions().forEach(change -> lags.add(Duration.between(change.seen(), now)));
            metrics.delta(now, lags);
            summary.delta(batch.upserts().size() + batch.deletions().size(), lags);
            DELTAS.debug("Delta {} committed: {} upserts, {} deletions, {} types whole; lag up to {} ms.", fetchingId,
                    batch.upserts().size(), batch.deletions().size(), complete.size(),
                    lags.stream().mapToLong(Duration::toMillis).max().orElse(0));
        }
        return true;
    }


    /** SIGTERM: the pending changes as one last delta, given {@code collector.shutdownSeconds}. */
    private void lastDelta() {
        if (session.protocol10() || pending.size() == 0 && !hasExpired()) {
            return;
        }
        Thread last = new Thread(() -> {
            try {
                delta(pending.drain(), List.copyOf(completeNext), skipped.changedList());
            } catch (RuntimeException e) {
                LOG.warn("The last delta could not be committed; the next run's full fetching covers it: {}",
                        e.getMessage());
            }
        }, "last-delta");
        last.setDaemon(true);
        last.start();
        try {
            last.join(settings.shutdown().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (last.isAlive()) {
            LOG.warn("The last delta did not commit within {} s; exiting without it.", settings.shutdown().toSeconds());
        }
    }


    /** An object redacted by the pipeline: it waits for the next delta. */
    private void changed(ShippedRecord record) {
        pending.upsert(record.key(), record.json(), clock.instant());
    }

    /**
     * What the watches tell the run. A watch of Helm's storage by its own label ({@code helmOnly})
     * only marks the releases whose storage changed: its objects are not collected.
     */
    private final class Listener implements WatchListener {

        private final boolean helmOnly;

        Listener(boolean helmOnly) {
            this.helmOnly = helmOnly;
        }

        @Override
        public void changed(WatchEvent event) {
            events.incrementAndGet();
            metrics.watchEvent(event.type().resource());
            answered(event.type());
            if (event.type().group().equals(CRDS.group()) && event.type().resource().equals(CRDS.resource())) {
                typesChanged = true;
            }
            helmChanged.changed(event.type(), event.head().namespace(), event.object());
            if (helmOnly) {
                return;
            }
            objectsChanged = true;
            if (event.change() == WatchEvent.Change.DELETED) {
                ObjectHead head = event.head();
                argoChanged.gone(event.type(), head.namespace(), head.name());
                trees.forget(head.uid());
                pending.delete(Deletion.object(head.uid().isEmpty() ? null : head.uid(), head.apiVersion(), head.kind(),
                        head.namespace().isEmpty() ? null : head.namespace(), head.name()), clock.instant());
            } else {
                pipeline.reading(event.type()).consumer().accept(new ListedObject.Whole(event.object()));
            }
        }

        @Override
        public void progressed(ResourceType type, String resourceVersion) {
            answered(type);
        }

        /** The API server answered this watch: it is reachable. */
        private void answered(ResourceType type) {
            health.progressed();
            health.apiServerAnswered();
            if (!helmOnly) {
                failing.remove(type);
            }
        }

        @Override
        public void expired(ResourceType type) {
            if (helmOnly) {
                helmResync = true;
                return;
            }
            synchronized (expired) {
                expired.add(type);
            }
        }

        @Override
        public void refused(ResourceType type, Skipped.Reason reason, String message) {
            if (helmOnly) {
                LOG.warn("The watch of Helm's storage in {} was refused ({}): its releases are read at each resync. {}",
                        type.qualifiedName(), reason, message);
                return;
            }
            LOG.warn("The watch of {} was refused ({}): the type is listed at each resync instead. {}",
                    type.qualifiedName(), reason, message);
            watchesLost.put(type, Skipped.type(type.group(), type.version(), type.resource(), reason,
                    "its watch was refused (" + message + "); it is listed at each resync instead."));
        }

        @Override
        public void restarting(ResourceType type, int failures, Duration delay, String why) {
            metrics.watchRestart(type.resource());
            health.progressed();
            if (failures > 3) {
                LOG.warn("The watch of {} failed {} times in a row; retrying in {} ms: {}", type.qualifiedName(),
                        failures, delay.toMillis(), why);
            } else {
                LOG.debug("The watch of {} restarts in {} ms: {}", type.qualifiedName(), delay.toMillis(), why);
            }
            if (helmOnly) {
                return;
            }
            if (failures == 0) {
                answered(type);
                return;
            }
            failing.add(type);
            if (failing.size() >= watching) {
                health.apiServerUnreachable("every watch failed; the last: " + why);
            } else if (failures >= GIVE_UP_AFTER) {
                LOG.warn("The watch of {} failed {} times while other watches work: the type is listed at each resync"
                        + " instead.", type.qualifiedName(), failures);
                watchesLost.put(type, Skipped.type(type.group(), type.version(), type.resource(), Skipped.Reason.FAILED,
                        "its watch failed " + failures + " times (" + why + "); it is listed at each resync instead."));
            }
        }

        @Override
        public void refusedObject(ResourceType type, Skipped skipped) {
            LOG.warn("A changed object of {} could not be read ({}): {}", type.qualifiedName(), skipped.reason(),
                    skipped.message());
        }
    }

    /** The pipeline's observer of watched objects: each one replaces its reference in the current trees. */
    private final class LiveTrees implements ObjectObserver {

        @Override
        public ObjectView view(ResourceType type) {
            return trees.view(type);
        }

        @Override
        public void observe(ObjectNode object) {
            trees.replace(object);
        }
    }
}
