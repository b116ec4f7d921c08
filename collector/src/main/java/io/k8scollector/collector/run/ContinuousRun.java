package io.k8scollector.collector.run;

import io.k8scollector.collector.CollectorException;
import io.k8scollector.collector.config.CollectorConfig;
import io.k8scollector.collector.config.CollectorConfig.Selection;
import io.k8scollector.collector.config.ContinuousSettings;
import io.k8scollector.collector.discovery.ApiServer;
import io.k8scollector.collector.discovery.HelmStorage;
import io.k8scollector.collector.discovery.RequestRate;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.enrichment.HelmReleases;
import io.k8scollector.collector.enrichment.OwnershipTree;
import io.k8scollector.collector.health.CollectorHealth;
import io.k8scollector.collector.health.CollectorMetrics;
import io.k8scollector.collector.listing.ItemReader;
import io.k8scollector.collector.listing.ListedObject;
import io.k8scollector.collector.listing.ObjectObserver;
import io.k8scollector.collector.listing.ObjectView;
import io.k8scollector.collector.listing.TypeLister;
import io.k8scollector.collector.listing.ListingOutcome;
import io.k8scollector.collector.listing.TypeReading;
import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.collector.redaction.Redactor;
import io.k8scollector.collector.retry.Retrier;
import io.k8scollector.collector.shipping.BaseMismatch;
import io.k8scollector.collector.shipping.HttpSink;
import io.k8scollector.collector.shipping.ShippedRecord;
import io.k8scollector.collector.shipping.ShippingException;
import io.k8scollector.collector.tracking.PendingChanges;
import io.k8scollector.collector.watching.ObjectHead;
import io.k8scollector.collector.watching.TypeWatch;
import io.k8scollector.collector.watching.WatchEvent;
import io.k8scollector.collector.watching.WatchListener;
import io.k8scollector.collector.watching.WatchScope;
import io.k8scollector.collector.watching.WatchTiming;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.CompleteType;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.ErrorBody;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.HelmRelease;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKey;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import io.k8scollector.protocol.StartAnswer;
import io.k8scollector.protocol.TreeNode;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The collector's continuous mode (protocol 1.1): a full fetching (a {@link CollectionRun}),
 * then a watch of every type it listed, from that list's resourceVersion, and every
 * {@code collector.flushSeconds} a delta on the last committed fetching with what changed since:
 * each changed object redacted by the same {@link ObjectPipeline} as a full run, coalesced by key
 * ({@link PendingChanges}), a deletion for each deleted one; an empty delta (a heartbeat) when
 * nothing changed for {@code collector.heartbeatSeconds}. One fetching is open at a time: the
 * flushes run on the run's own thread, one after the other.
 *
 * <p>What it cannot ship as a delta it ships as a full fetching, which restarts every watch from
 * its new lists: {@code base_mismatch}, a delta declined or refused, pending changes dropped past
 * {@code collector.maxPendingMb}, an endpoint that was unreachable (its lost delta is covered so),
 * a changed CustomResourceDefinition (discovery again), and each {@code collector.resyncMinutes}.
 * A Helm release whose storage changed is read again from its storage and sent (or deleted).
 * A type whose watch expired ({@code 410 Gone}) is listed again and sent whole, named in
 * {@code completeTypes}. Against a 1.0 endpoint (a start answered {@code 204}) it sends full
 * fetchings only, at most one per {@code collector.fullFetchingMinSeconds}, and says so once.
 * An unreachable endpoint or API server is waited out with backoff; credentials refused and an
 * identity conflict end it ({@link #FAILED}, after an abort); {@link #stop()} (SIGTERM) ships
 * what is pending within {@code collector.shutdownSeconds} and ends it ({@link #STOPPED}).
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
    private final Map<ResourceType, TypeWatch> watches = new LinkedHashMap<>();
    private final Map<String, ResourceType> typesByApiKind = new LinkedHashMap<>();
    private final Set<ResourceType> expired = new LinkedHashSet<>();
    /** Helm releases whose storage changed since the last flush: derived again from their storage. */
    private final Set<HelmName> helmChanged = new LinkedHashSet<>();
    private final KeyedDigest digest;
    /** A CustomResourceDefinition changed: discovery runs again (a full fetching). */
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
    private String base;
    private String clusterUniqueId;
    private boolean protocol10;
    private boolean saidProtocol10;
    private Instant lastCommit;
    private Instant lastFull;
    private Summary summary;

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
        this.pipeline = new ObjectPipeline(Redactor.from(config.redaction()), List.of(new LiveTrees()),
                config.limits().maxItemSizeKb(), this::changed);
        this.watchRate = new RequestRate(config.limits().apiQps());
        this.digest = new KeyedDigest(config.redaction().key());
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
        summary = new Summary(clock.instant());
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
            } catch (BaseMismatch e) {
                LOG.info("The endpoint's current snapshot is {}, not {}: sending a full fetching.", e.current(), base);
                needFull = true;
            } catch (ShippingException e) {
                if (fatal(e)) {
                    LOG.error("The endpoint refused the collector for good, stopping: {}", e.getMessage());
                    sink.abort(e, clock.instant());
                    return FAILED;
                }
                if (e.unreachable()) {
                    metrics.retry();
                    LOG.warn("The endpoint is unreachable; waiting {} ms, then a full fetching: {}", backoff.toMillis(),
                            e.getMessage());
                    pause(backoff);
                    backoff = next(backoff);
                } else {
                    LOG.warn("The endpoint refused a delta ({}); sending a full fetching instead.", e.getMessage());
                }
                needFull = true;
            } catch (CollectorException e) {
                metrics.retry();
                LOG.warn("The collection failed; waiting {} ms, then a full fetching: {}", backoff.toMillis(),
                        e.getMessage());
                pause(backoff);
                backoff = next(backoff);
                needFull = true;
            }
        }
        if (!needFull) {
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

    /** A full fetching of everything, then a watch of each type it listed from its list's resourceVersion. */
    private void full() {
        closeWatches();
        pending.dropAll();
        synchronized (expired) {
            expired.clear();
        }
        synchronized (helmChanged) {
            helmChanged.clear();
        }
        typesChanged = false;
        objectsChanged = false;
        OwnershipTree fresh = new OwnershipTree();
        RunReport report = new CollectionRun(config, server, sink, clock, () -> fresh).run();
        trees = fresh;
        treesShipped.clear();
        for (TreeNode root : fresh.roots()) {
            treesShipped.put(root.uid(), digestOf(Json.MAPPER.writeValueAsBytes(root)));
        }
        base = report.fetchingId();
        clusterUniqueId = report.clusterUniqueId();
        Instant now = clock.instant();
        lastCommit = now;
        lastFull = now;
        protocol10 = sink.startAnswer().isEmpty();
        if (protocol10 && !saidProtocol10) {
            LOG.warn("The endpoint speaks protocol 1.0: changes are shipped as full fetchings, at most one every {} s.",
                    settings.fullFetchingMin().toSeconds());
            saidProtocol10 = true;
        } else if (!protocol10) {
            saidProtocol10 = false;
        }
        health.committed(true);
        metrics.fullFetching(now);
        summary.full();
        for (ListingOutcome listing : report.listings()) {
            if (listing.complete() && listing.resourceVersion() != null && listing.type().verbs().contains("watch")) {
                watch(listing.type(), listing.resourceVersion());
            }
        }
        LOG.info("Watching {} types from fetching {}.", watches.size(), base);
    }

    private void watch(ResourceType type, String resourceVersion) {
        typesByApiKind.put(type.apiVersion() + "/" + type.kind(), type);
        watches.put(type, TypeWatch.start(server, type, WatchScope.of(config.selection()), timing, watchRate,
                resourceVersion, new Listener()));
    }

    private void closeWatches() {
        watches.values().forEach(TypeWatch::close);
        watches.clear();
    }

    /** Waits for the next flush: {@code collector.flushSeconds}, or sooner on {@link #stop()}. */
    private void waitForFlush() {
        pause(settings.flush());
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
     * Ships what changed since the last commit, as the endpoint can take it.
     *
     * @return whether a full fetching must follow (pending changes dropped, or a 1.0 endpoint's turn)
     */
    private boolean flush() {
        Instant now = clock.instant();
        if (now.isAfter(summary.since.plus(SUMMARY_EVERY))) {
            LOG.info("{}", summary.line(now, pending.size()));
            summary = new Summary(now);
        }
        metrics.pending(pending.size());
        if (pending.overflowed()) {
            LOG.warn("More than {} MB of changes waited for the endpoint: dropped them; a full fetching resyncs.",
                    settings.maxPendingBytes() / (1024 * 1024));
            return true;
        }
        if (settings.resync().isPresent() && !now.isBefore(lastFull.plus(settings.resync().get()))) {
            LOG.info("Resyncing: a full fetching, as every collector.resyncMinutes.");
            return true;
        }
        if (typesChanged) {
            LOG.info("A CustomResourceDefinition changed: discovering the types again with a full fetching.");
            return true;
        }
        if (protocol10) {
            boolean changed = pending.size() > 0 || hasExpired() || !helmChangedIsEmpty();
            return changed && !now.isBefore(lastFull.plus(settings.fullFetchingMin()));
        }
        List<CompleteType> complete = relistExpired();
        deriveHelmReleases();
        if (objectsChanged) {
            objectsChanged = false;
            changedTrees();
        }
        PendingChanges.Batch batch = pending.drain();
        if (batch.isEmpty() && complete.isEmpty() && now.isBefore(lastCommit.plus(settings.heartbeat()))) {
            return false;
        }
        return !delta(batch, complete);
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
            byte[] json = Json.MAPPER.writeValueAsBytes(change.tree());
            long digest = digestOf(json);
            Long shipped = treesShipped.put(change.root(), digest);
            if (shipped == null || shipped != digest) {
                pending.upsert(RecordKey.of(change.tree()), json, now);
            }
        }
    }

    /** The first 64 bits of SHA-256 of a tree's JSON: what tells a changed tree from the one shipped. */
    private static long digestOf(byte[] json) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(json)).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private boolean helmChangedIsEmpty() {
        synchronized (helmChanged) {
            return helmChanged.isEmpty();
        }
    }

    /**
     * Reads the storage of each Helm release whose storage changed again (its Secrets or ConfigMaps
     * labelled {@code owner=helm,name=<release>} in its namespace) and sends the release as a full
     * run derives it, or its deletion when no revision is left (uninstalled).
     */
    private void deriveHelmReleases() {
        List<HelmName> changed;
        synchronized (helmChanged) {
            changed = new ArrayList<>(helmChanged);
            helmChanged.clear();
        }
        Selection selection = config.selection();
        for (HelmName release : changed) {
            HelmReleases helm = new HelmReleases(digest);
            Selection one = new Selection(selection.resources(), selection.toggles(), selection.excludes(),
                    release.namespace(), selection.ignoreNamespaces(), HelmStorage.SELECTOR + ",name=" + release.name());
            ListingOutcome listing = new TypeLister(server, one, config.limits().listPageSize(), watchRate,
                    Retrier.of(config.shipping().retry()))
                    .list(release.type(), ItemReader.TREE, listed -> helm.observe(listed.head()));
            if (!listing.complete()) {
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

    private boolean hasExpired() {
        synchronized (expired) {
            return !expired.isEmpty();
        }
    }

    /**
     * Lists each type whose watch expired again into the pending changes, and watches it from that list.
     *
     * @return the types to name in {@code completeTypes}
     */
    private List<CompleteType> relistExpired() {
        List<ResourceType> types;
        synchronized (expired) {
            types = new ArrayList<>(expired);
            expired.clear();
        }
        List<CompleteType> complete = new ArrayList<>();
        for (ResourceType type : types) {
            TypeWatch old = watches.remove(type);
            if (old != null) {
                old.close();
            }
            metrics.relist(type.resource());
            TypeLister lister = new TypeLister(server, config.selection(), config.limits().listPageSize(), watchRate,
                    Retrier.of(config.shipping().retry()));
            TypeReading reading = pipeline.reading(type);
            ListingOutcome listing = lister.list(type, reading.reader(), reading.consumer());
            if (!listing.complete() || listing.resourceVersion() == null) {
                throw new CollectorException("Listing " + type.qualifiedName() + " again after its watch expired failed: "
                        + listing.message());
            }
            LOG.info("The watch of {} expired (410): listed it again, {} objects, sent whole.", type.qualifiedName(),
                    listing.objects());
            complete.add(CompleteType.objects(type.group(), type.resource(), type.kind()));
            watch(type, listing.resourceVersion());
        }
        return complete;
    }

    /**
     * One delta on {@link #base}: start, the batch's records and deletions, commit.
     *
     * @return false when the endpoint did not take it as a delta (1.0, or declined): a full fetching follows
     */
    private boolean delta(PendingChanges.Batch batch, List<CompleteType> complete) {
        Instant started = clock.instant();
        String fetchingId = FetchingId.generate(started);
        sink.open(config.clusterId(), new FetchingStart(FetchingStart.PROTOCOL_1_1, fetchingId, base, clusterUniqueId,
                config.shipping().overrideUniqueClusterId(), CollectionRun.collector(config), started));
        StartAnswer answer = sink.startAnswer().orElse(null);
        if (answer == null || !answer.isDelta()) {
            LOG.warn("The endpoint took delta {} as a full fetching ({}); sending a full fetching instead.", fetchingId,
                    answer == null ? "protocol 1.0" : "declined");
            sink.abort(new CollectorException("delta " + fetchingId + " was not taken as a delta"), clock.instant());
            return false;
        }
        for (PendingChanges.Change change : batch.upserts()) {
            sink.accept(shipped(change));
        }
        for (PendingChanges.Change change : batch.deletions()) {
            sink.delete(change.deletion());
        }
        long seen = events.getAndSet(0);
        Commit.Report report = new Commit.Report(Duration.between(started, clock.instant()).toMillis(), 0L, seen, null,
                null, null, config.redaction().keyId(), null);
        Counts counts = sink.commitDelta(null, complete, clock.instant(), report);
        base = fetchingId;
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
        if (protocol10 || pending.size() == 0 && !hasExpired()) {
            return;
        }
        Thread last = new Thread(() -> {
            try {
                delta(pending.drain(), List.of());
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

    /**
     * A pending record as the sink takes it: a Helm release named by its key; an object's type
     * named by its apiVersion and kind.
     */
    private ShippedRecord shipped(PendingChanges.Change change) {
        if (change.key().kind() != RecordKind.OBJECTS) {
            return new ShippedRecord(change.key(), new ShippedRecord.RecordName(change.key().value()), change.record());
        }
        JsonNode object = Json.MAPPER.readTree(change.record());
        JsonNode metadata = object.path("metadata");
        String apiVersion = object.path("apiVersion").asString("");
        ResourceType type = typesByApiKind.get(apiVersion + "/" + object.path("kind").asString(""));
        int slash = apiVersion.indexOf('/');
        String group = type != null ? type.group() : slash < 0 ? "" : apiVersion.substring(0, slash);
        return ShippedRecord.object(group, apiVersion.substring(slash + 1),
                type == null ? object.path("kind").asString("") : type.resource(), object.path("kind").asString(""),
                metadata.path("uid").asString(null), metadata.path("namespace").asString(null),
                metadata.path("name").asString(null), change.record());
    }

    /** An object redacted by the pipeline: it waits for the next delta. */
    private void changed(ShippedRecord record) {
        pending.upsert(record.key(), record.json(), clock.instant());
    }

    /** What the watches tell the run. */
    private final class Listener implements WatchListener {

        @Override
        public void changed(WatchEvent event) {
            events.incrementAndGet();
            metrics.watchEvent(event.type().resource());
            health.progressed();
            if (event.type().group().equals(CRDS.group()) && event.type().resource().equals(CRDS.resource())) {
                typesChanged = true;
            }
            if (HelmStorage.holds(event.type()) && HelmStorage.ownedByHelm(event.object())) {
                String release = event.object().path("metadata").path("labels").path("name").asString("");
                if (!release.isEmpty()) {
                    synchronized (helmChanged) {
                        helmChanged.add(new HelmName(event.type(), event.head().namespace(), release));
                    }
                }
            }
            objectsChanged = true;
            if (event.change() == WatchEvent.Change.DELETED) {
                ObjectHead head = event.head();
                trees.forget(head.uid());
                pending.delete(Deletion.object(head.uid().isEmpty() ? null : head.uid(), head.apiVersion(), head.kind(),
                        head.namespace().isEmpty() ? null : head.namespace(), head.name()), clock.instant());
            } else {
                pipeline.reading(event.type()).consumer().accept(new ListedObject.Whole(event.object()));
            }
        }

        @Override
        public void progressed(ResourceType type, String resourceVersion) {
            health.progressed();
        }

        @Override
        public void expired(ResourceType type) {
            synchronized (expired) {
                expired.add(type);
            }
        }

        @Override
        public void refused(ResourceType type, Skipped.Reason reason, String message) {
            LOG.warn("The watch of {} was refused ({}): its changes are shipped at the next full fetching. {}",
                    type.qualifiedName(), reason, message);
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

    /** A Helm release by the storage type that holds it, its namespace and its name. */
    private record HelmName(ResourceType type, String namespace, String name) {}

    /** What the once-a-minute INFO line says: deltas, changes, heartbeats, full fetchings and the worst lag. */
    private static final class Summary {
        final Instant since;
        long deltas;
        long changes;
        long heartbeats;
        long fulls;
        Duration worstLag = Duration.ZERO;

        Summary(Instant since) {
            this.since = since;
        }

        void full() {
            fulls++;
        }

        void heartbeat() {
            heartbeats++;
        }

        void delta(int changed, List<Duration> lags) {
            deltas++;
            changes += changed;
            for (Duration lag : lags) {
                if (lag.compareTo(worstLag) > 0) {
                    worstLag = lag;
                }
            }
        }

        String line(Instant now, int pendingNow) {
            return String.format(Locale.ROOT,
                    "%d deltas with %d changes, %d heartbeats, %d full fetchings in %d s; worst lag %d ms; %d pending.",
                    deltas, changes, heartbeats, fulls, Duration.between(since, now).toSeconds(), worstLag.toMillis(),
                    pendingNow);
        }
    }
}
