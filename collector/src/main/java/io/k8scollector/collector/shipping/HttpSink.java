package io.k8scollector.collector.shipping;

import io.k8scollector.collector.CollectorException;
import io.k8scollector.collector.config.ShippingSettings;
import io.k8scollector.collector.retry.Retrier;
import io.k8scollector.protocol.Abort;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.CompleteType;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKey;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import io.k8scollector.protocol.StartAnswer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.core.JacksonException;

/**
 * Ships a snapshot to the ingest endpoint under the protocol (docs/protocol.md). {@link #open}
 * logs in and starts the fetching; {@link #accept} adds a record to its kind's open page, and a
 * page that would pass {@code collector.PageSize} is handed to one of at most
 * {@code collector.MaxGoRoutines} senders, blocking while all are busy; a sender gzips the page
 * and sends it. {@link #commit} sends what is left, waits for every page, then commits the counts
 * of distinct records (by their {@link ShippedRecord#key()}) the run handed over, less those the endpoint
 * refused alone: counts say what the snapshot must hold, never what happened to be acknowledged,
 * so a page lost on the way can only fail the commit ({@code incomplete}), never commit a
 * snapshot whose missing objects would look deleted. A page refused with 413 is split in two,
 * recursively; a record refused alone is left out and listed under {@code skipped} (in a delta,
 * after the skipped entries its base holds: a delta's {@code skipped} replaces the base's). The first
 * failure of a sender, whatever it throws ({@link Error}s included), stops the run: later calls
 * throw it, and nothing is committed.
 */
public final class HttpSink implements Sink {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSink.class);

    private final ShippingSettings settings;
    private final BodyEncoder encoder;
    private final Retrier retrier;
    private final ShippingTally tally = new ShippingTally();
    /** The open page of each field: a record kind's, or the deletions'. */
    private final Map<String, Page> open = new HashMap<>();
    private final Map<RecordKind, KeyHashes> produced = new EnumMap<>(RecordKind.class);
    private final KeyHashes deleted = new KeyHashes();
    private final Queue<ShippedRecord> rejected = new ConcurrentLinkedQueue<>();
    /** The skipped entries for the records the endpoint refused alone in the last fetching committed. */
    private volatile List<Skipped> refusedAlone = List.of();
    private final AtomicReference<CollectorException> failure = new AtomicReference<>();
    private final Semaphore slots;
    private final ExecutorService senders;
    private IngestClient client;
    private String clusterId;
    private String fetchingId;
    /** The opening thread's MDC (the run id): the senders log under it too. */
    private volatile Map<String, String> runContext = Map.of();
    private volatile boolean started;
    /** The 1.1 server's answer to the open fetching's start; null when a 1.0 server answered 204. */
    private volatile StartAnswer answer;
    private volatile boolean fetchingOpen;

    /** A sink for {@code settings}, which must name an endpoint and a key pair (not a dry-run's). */
    public HttpSink(ShippingSettings settings) {
        this(settings, Compressor.gzip(settings.gzipLevel()), Retrier.of(settings.retry()));
    }

    HttpSink(ShippingSettings settings, Compressor compressor, Retrier retrier) {
        if (settings.endpoint() == null || settings.credentials() == null) {
            throw new IllegalArgumentException("an HTTP sink needs an endpoint and a key pair");
        }
        this.settings = settings;
        this.encoder = new BodyEncoder(compressor);
        this.retrier = retrier;
        this.slots = new Semaphore(settings.concurrency());
        AtomicInteger threads = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(settings.concurrency(), task -> {
            Thread thread = new Thread(task, "shipping-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        for (RecordKind kind : RecordKind.values()) {
            produced.put(kind, new KeyHashes());
        }
    }

    /**
     * Starts a fetching; the sink logs in at its first. A sink ships one fetching at a time and may
     * open the next once the last one committed or failed (a continuous run's deltas share the
     * login and the senders). A 1.1 start answered {@code 200} says whether the fetching is a
     * delta ({@link #startAnswer()}); {@code 204} is a 1.0 server's answer.
     *
     * @throws BaseMismatch when a delta's base is not the cluster's current snapshot
     */
    @Override
    public void open(String clusterId, FetchingStart start) {
        synchronized (open) {
            if (fetchingOpen) {
                throw new IllegalStateException("fetching " + fetchingId + " is still open: commit it first");
            }
            fetchingOpen = true;
        }
        this.clusterId = clusterId;
        this.fetchingId = start.fetchingId();
        produced.values().forEach(KeyHashes::clear);
        deleted.clear();
        rejected.clear();
        failure.set(null);
        answer = null;
        Map<String, String> context = MDC.getCopyOfContextMap();
        this.runContext = context == null ? Map.of() : context;
        try {
            if (client == null) {
                String version = start.collector() == null ? "unknown" : start.collector().version();
                client = new IngestClient(settings, version, encoder, tally, retrier);
                client.login();
            }
            IngestClient.Answer started = client.post(Paths.fetchings(clusterId), new JsonBody(start, encoder));
            answer = started.status() == 200 ? startAnswer(started.body()) : null;
        } catch (RuntimeException e) {
            closeFetching();
            throw e;
        }
        started = true;
        if (start.base() == null) {
            LOG.info("Fetching {} of cluster {} started at {}", fetchingId, clusterId, settings.endpoint());
        } else {
            LOG.debug("Delta {} on {} of cluster {} started: {}", fetchingId, start.base(), clusterId, answer);
        }
    }

    /**
     * The 1.1 server's answer to the last start, empty when the server answered {@code 204} (it
     * speaks 1.0: no deletions, no deltas).
     */
    public Optional<StartAnswer> startAnswer() {
        return Optional.ofNullable(answer);
    }

    private StartAnswer startAnswer(byte[] body) {
        try {
            StartAnswer read = Json.MAPPER.readValue(body, StartAnswer.class);
            if (read != null && read.mode() != null) {
                return read;
            }
        } catch (JacksonException e) {
            LOG.debug("Unreadable start answer: {}", e.getMessage());
        }
        throw new ShippingException("POST", Paths.fetchings(clusterId), 200, "POST " + settings.endpoint()
                + Paths.fetchings(clusterId) + " answered 200 without a protocol 1.1 start answer; check "
                + ShippingSettings.ENDPOINT + ".");
    }

    /**
     * Adds a deletion to the open delta's {@code deletions} pages (protocol 1.1), paged, sent and
     * retried as the records are; the commit counts distinct deletions.
     *
     * @throws IllegalStateException when the open fetching is not a delta the server accepted
     */
    public void delete(Deletion deletion) {
        if (answer == null || !answer.isDelta()) {
            throw new IllegalStateException("fetching " + fetchingId + " is not a delta: it takes no deletions");
        }
        throwIfFailed();
        deleted.add(keyHash(deletion.key()));
        add(Paths.DELETIONS, ShippedRecord.deletion(deletion, Json.MAPPER.writeValueAsBytes(deletion)));
    }

    @Override
    public void accept(ShippedRecord record) {
        if (!fetchingOpen) {
            throw new IllegalStateException("open the sink before handing it records");
        }
        throwIfFailed();
        produced.get(record.kind()).add(keyHash(record.key()));
        add(record.kind().field(), record);
    }

    private void add(String field, ShippedRecord record) {
        Page full = null;
        synchronized (open) {
            Page page = open.get(field);
            if (page == null) {
                page = new Page(field, encoder);
                open.put(field, page);
            } else if (!page.fits(record, settings.pageSizeBytes())) {
                full = page;
                page = new Page(field, encoder);
                open.put(field, page);
            }
            page.add(record);
        }
        if (full != null) {
            dispatch(full);
        }
    }

    @Override
    public Counts commit(List<Skipped> skipped, Instant finishedAt, Commit.Report report) {
        return finish(skipped == null ? List.of() : skipped, List.of(), List.of(), finishedAt, report);
    }

    /**
     * Commits the open delta (protocol 1.1): like {@link #commit}, with {@code completeTypes}, and
     * {@code skipped} null when it is unchanged from the base. A record the endpoint refused alone
     * makes the list present: {@code skipped} (or, when null, {@code held}) with an entry for each
     * such record, since a delta's list replaces the base's whole.
     *
     * @param held the skipped entries the base holds
     * @throws BaseMismatch when another fetching became current since the delta's start
     */
    public Counts commitDelta(List<Skipped> skipped, List<Skipped> held, List<CompleteType> completeTypes,
            Instant finishedAt, Commit.Report report) {
        return finish(skipped, held, completeTypes, finishedAt, report);
    }

    /**
     * The skipped entries of the records the endpoint refused alone (413) in the last fetching
     * committed, which its commit listed under {@code skipped}: they are part of what the
     * endpoint's snapshot holds as skipped from then on.
     */
    public List<Skipped> refusedAlone() {
        return refusedAlone;
    }

    private Counts finish(List<Skipped> skipped, List<Skipped> held, List<CompleteType> completeTypes,
            Instant finishedAt, Commit.Report report) {
        try {
            return send(skipped, held, completeTypes, finishedAt, report);
        } finally {
            closeFetching();
        }
    }

    private void closeFetching() {
        synchronized (open) {
            open.clear();
            fetchingOpen = false;
        }
    }

    private Counts send(List<Skipped> skipped, List<Skipped> held, List<CompleteType> completeTypes,
            Instant finishedAt, Commit.Report report) {
        List<Page> rest;
        synchronized (open) {
            rest = new ArrayList<>(open.values());
            open.clear();
        }
        for (Page page : rest) {
            throwIfFailed();
            dispatch(page);
        }
        awaitSenders();
        throwIfFailed();
        Map<RecordKind, Set<Long>> refusedKeys = new EnumMap<>(RecordKind.class);
        for (ShippedRecord refused : rejected) {
            refusedKeys.computeIfAbsent(refused.kind(), kind -> new HashSet<>()).add(keyHash(refused.key()));
        }
        Counts counts = Counts.ZERO.plusDeletions(deleted.size());
        for (RecordKind kind : RecordKind.values()) {
            counts = counts.plus(kind, produced.get(kind).size() - refusedKeys.getOrDefault(kind, Set.of()).size());
        }
        List<Skipped> refused = new ArrayList<>();
        rejected.forEach(record -> refused.add(record.refused(
                "refused with 413 by the endpoint even alone (" + record.json().length + " bytes)")));
        List<Skipped> all = skipped == null && refused.isEmpty() ? null
                : new ArrayList<>(skipped != null ? skipped : held);
        if (all != null) {
            all.addAll(refused);
        }
        client.post(Paths.commit(clusterId, fetchingId),
                new JsonBody(new Commit(counts, finishedAt, all, completeTypes, report), encoder));
        refusedAlone = List.copyOf(refused);
        if (answer != null && answer.isDelta()) {
            LOG.debug("Delta {} of cluster {} committed: {}", fetchingId, clusterId, counts);
        } else {
            LOG.info("Fetching {} of cluster {} committed: {}", fetchingId, clusterId, counts);
        }
        return counts;
    }

    /**
     * Closes the open fetching without a word to the endpoint (it could not be reached), once the
     * pages in flight are done: the next {@link #open} may start another, and {@link #abort} still
     * names this one until then.
     */
    public void abandon() {
        try {
            awaitSenders();
        } finally {
            closeFetching();
        }
    }

    /**
     * POSTs the abort on a thread of its own and waits for it at most {@link Sink#ABORT_BUDGET}
     * (a login again on the way included), so that an endpoint that hangs cannot hold the exit.
     * A 404 is what an endpoint of protocol 1.0, without the route, answers: logged at DEBUG.
     */
    @Override
    public void abort(RuntimeException failure, Instant finishedAt) {
        closeFetching();
        if (!started) {
            return;
        }
        Abort abort = new Abort(reason(failure), IngestClient.oneLine(String.valueOf(failure.getMessage())), finishedAt);
        String path = Paths.abort(clusterId, fetchingId);
        Map<String, String> context = MDC.getCopyOfContextMap();
        Thread sender = new Thread(() -> {
            if (context != null) {
                MDC.setContextMap(context);
            }
            try {
                client.post(path, new JsonBody(abort, encoder), ABORT_BUDGET);
                LOG.info("Told the endpoint that fetching {} failed ({})", fetchingId, abort.reason());
            } catch (ShippingException e) {
                if (e.status() == 404) {
                    LOG.debug("The endpoint has no abort route (protocol 1.0) or no fetching {}: {}", fetchingId,
                            e.getMessage());
                } else {
                    LOG.warn("Could not tell the endpoint that fetching {} failed: {}", fetchingId, e.getMessage());
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not tell the endpoint that fetching {} failed: {}", fetchingId, e.toString());
            }
        }, "abort");
        sender.setDaemon(true);
        sender.start();
        try {
            sender.join(ABORT_BUDGET.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender.isAlive()) {
            LOG.warn("Could not tell the endpoint within {} s that fetching {} failed; exiting without it",
                    ABORT_BUDGET.toSeconds(), fetchingId);
        }
    }

    /**
     * The protocol's reason for {@code failure}: the endpoint's refusal of the key (401, 403) is
     * {@code credentials}, any other failure to ship is {@code endpoint-error}; a sender's
     * unexpected failure is {@code failed}; the project's other failures that stop a started run
     * come from the API server ({@code api-unreachable}); anything else is {@code failed}.
     */
    private String reason(RuntimeException e) {
        if (e instanceof ShippingException shipping) {
            return shipping.status() == 401 || shipping.status() == 403 ? Abort.CREDENTIALS : Abort.ENDPOINT_ERROR;
        }
        return e instanceof CollectorException && e != failure.get() ? Abort.API_UNREACHABLE : Abort.FAILED;
    }

    @Override
    public ShippingStats stats() {
        return tally.stats();
    }

    /** Stops the senders and frees the compressor's deflaters; pages still in flight are abandoned. */
    @Override
    public void close() {
        senders.shutdownNow();
        encoder.close();
    }

    private void dispatch(Page page) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CollectorException("Interrupted while waiting to send a page of " + page.field() + ".", e);
        }
        try {
            senders.execute(() -> {
                MDC.setContextMap(runContext);
                try {
                    if (failure.get() == null) {
                        deliver(page);
                    }
                } catch (CollectorException e) {
                    failure.compareAndSet(null, e);
                } catch (Throwable e) {
                    // An Error too: the page is lost, so the snapshot cannot be committed.
                    failure.compareAndSet(null, new CollectorException("Sending a page of " + page.field()
                            + " to fetching " + fetchingId + " failed unexpectedly: " + e, e));
                } finally {
                    MDC.clear();
                    slots.release();
                }
            });
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    private void deliver(Page page) {
        String path = page.field().equals(Paths.DELETIONS) ? Paths.deletions(clusterId, fetchingId)
                : Paths.records(clusterId, fetchingId, kindOf(page.field()));
        IngestClient.Answer answer = client.postPage(path, page);
        if (answer.status() != 413) {
            tally.page(answer.sent().plainSize(), answer.sent().bytes().length);
            LOG.debug("Sent {} {} to fetching {}", page.size(), page.field(), fetchingId);
            return;
        }
        if (page.size() == 1) {
            ShippedRecord record = page.records().get(0);
            LOG.warn("The endpoint refused a record of {} alone as too large ({} bytes); it is skipped: {}",
                    page.field(), page.plainSize(), record.key().value());
            if (!page.field().equals(Paths.DELETIONS)) {
                rejected.add(record);
            }
            return;
        }
        tally.retry("413-split");
        List<ShippedRecord> records = page.records();
        int half = records.size() / 2;
        LOG.info("The endpoint refused a page of {} {} ({} bytes) as too large; sending it in two halves",
                records.size(), page.field(), page.plainSize());
        deliver(Page.of(page.field(), encoder, records.subList(0, half)));
        deliver(Page.of(page.field(), encoder, records.subList(half, records.size())));
    }

    private static RecordKind kindOf(String field) {
        for (RecordKind kind : RecordKind.values()) {
            if (kind.field().equals(field)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no record kind has the field " + field);
    }

    /**
     * A 64-bit FNV-1a hash of the record's key, so that the commit counts distinct records even if
     * one was handed over twice, which would otherwise ask the endpoint for more records than it
     * holds. Hashes keep 100k keys in about a MB ({@link KeyHashes}); a collision (odds of about 1 in 30 million among a
     * million keys) only lowers a count, which the endpoint accepts.
     */
    private static long keyHash(RecordKey key) {
        String text = key.value();
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
        }
        return hash;
    }

    /** Waits for every page in flight; each request is bounded by its own retry deadline. */
    private void awaitSenders() {
        int all = settings.concurrency();
        try {
            slots.acquire(all);
            slots.release(all);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CollectorException("Interrupted while waiting for the pages of fetching " + fetchingId + ".", e);
        }
    }

    private void throwIfFailed() {
        CollectorException failed = failure.get();
        if (failed != null) {
            throw failed;
        }
    }
}
