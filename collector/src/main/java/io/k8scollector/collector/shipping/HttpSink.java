package io.k8scollector.collector.shipping;

import io.k8scollector.collector.CollectorException;
import io.k8scollector.collector.config.ShippingSettings;
import io.k8scollector.collector.retry.Retrier;
import io.k8scollector.protocol.Abort;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKey;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

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
 * recursively; a record refused alone is left out and listed under {@code skipped}. The first
 * failure of a sender, whatever it throws ({@link Error}s included), stops the run: later calls
 * throw it, and nothing is committed.
 */
public final class HttpSink implements Sink {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSink.class);

    private final ShippingSettings settings;
    private final BodyEncoder encoder;
    private final Retrier retrier;
    private final ShippingTally tally = new ShippingTally();
    private final Map<RecordKind, Page> open = new EnumMap<>(RecordKind.class);
    private final Map<RecordKind, Set<Long>> produced = new EnumMap<>(RecordKind.class);
    private final Queue<ShippedRecord> rejected = new ConcurrentLinkedQueue<>();
    private final AtomicReference<CollectorException> failure = new AtomicReference<>();
    private final Semaphore slots;
    private final ExecutorService senders;
    private IngestClient client;
    private String clusterId;
    private String fetchingId;
    /** The opening thread's MDC (the run id): the senders log under it too. */
    private volatile Map<String, String> runContext = Map.of();
    private volatile boolean started;

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
            produced.put(kind, ConcurrentHashMap.newKeySet());
        }
    }

    @Override
    public void open(String clusterId, FetchingStart start) {
        if (client != null) {
            throw new IllegalStateException("the sink is already open");
        }
        this.clusterId = clusterId;
        this.fetchingId = start.fetchingId();
        Map<String, String> context = MDC.getCopyOfContextMap();
        this.runContext = context == null ? Map.of() : context;
        String version = start.collector() == null ? "unknown" : start.collector().version();
        client = new IngestClient(settings, version, encoder, tally, retrier);
        client.login();
        client.post(Paths.fetchings(clusterId), new JsonBody(start, encoder));
        started = true;
        LOG.info("Fetching {} of cluster {} started at {}", fetchingId, clusterId, settings.endpoint());
    }

    @Override
    public void accept(ShippedRecord record) {
        if (client == null) {
            throw new IllegalStateException("open the sink before handing it records");
        }
        throwIfFailed();
        RecordKind kind = record.kind();
        produced.get(kind).add(keyHash(record.key()));
        Page full = null;
        synchronized (open) {
            Page page = open.get(kind);
            if (page == null) {
                page = new Page(kind, encoder);
                open.put(kind, page);
            } else if (!page.fits(record, settings.pageSizeBytes())) {
                full = page;
                page = new Page(kind, encoder);
                open.put(kind, page);
            }
            page.add(record);
        }
        if (full != null) {
            dispatch(full);
        }
    }

    @Override
    public Counts commit(List<Skipped> skipped, Instant finishedAt, Commit.Report report) {
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
        Counts counts = Counts.ZERO;
        for (RecordKind kind : RecordKind.values()) {
            counts = counts.plus(kind, produced.get(kind).size() - refusedKeys.getOrDefault(kind, Set.of()).size());
        }
        List<Skipped> all = new ArrayList<>(skipped);
        rejected.forEach(refused -> all.add(refused.refused(
                "refused with 413 by the endpoint even alone (" + refused.json().length + " bytes)")));
        client.post(Paths.commit(clusterId, fetchingId),
                new JsonBody(new Commit(counts, finishedAt, all, report), encoder));
        LOG.info("Fetching {} of cluster {} committed: {}", fetchingId, clusterId, counts);
        return counts;
    }

    /**
     * POSTs the abort on a thread of its own and waits for it at most {@link Sink#ABORT_BUDGET}
     * (a login again on the way included), so that an endpoint that hangs cannot hold the exit.
     * A 404 is what an endpoint of protocol 1.0, without the route, answers: logged at DEBUG.
     */
    @Override
    public void abort(RuntimeException failure, Instant finishedAt) {
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

    /** Stops the senders; pages still in flight are abandoned. */
    @Override
    public void close() {
        senders.shutdownNow();
    }

    private void dispatch(Page page) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CollectorException("Interrupted while waiting to send a page of " + page.kind().field() + ".", e);
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
                    failure.compareAndSet(null, new CollectorException("Sending a page of " + page.kind().field()
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
        String path = Paths.records(clusterId, fetchingId, page.kind());
        IngestClient.Answer answer = client.postPage(path, page);
        if (answer.status() != 413) {
            tally.page(answer.sent().plainSize(), answer.sent().bytes().length);
            LOG.debug("Sent {} {} to fetching {}", page.size(), page.kind().field(), fetchingId);
            return;
        }
        if (page.size() == 1) {
            ShippedRecord record = page.records().get(0);
            LOG.warn("The endpoint refused a record of {} alone as too large ({} bytes); it is skipped: {}",
                    page.kind().field(), page.plainSize(), record.key().value());
            rejected.add(record);
            return;
        }
        tally.retry("413-split");
        List<ShippedRecord> records = page.records();
        int half = records.size() / 2;
        LOG.info("The endpoint refused a page of {} {} ({} bytes) as too large; sending it in two halves",
                records.size(), page.kind().field(), page.plainSize());
        deliver(Page.of(page.kind(), encoder, records.subList(0, half)));
        deliver(Page.of(page.kind(), encoder, records.subList(half, records.size())));
    }

    /**
     * A 64-bit FNV-1a hash of the record's key, so that the commit counts distinct records even if
     * one was handed over twice, which would otherwise ask the endpoint for more records than it
     * holds. Hashes keep 100k keys in a few MB; a collision (odds of about 1 in 30 million among a
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
