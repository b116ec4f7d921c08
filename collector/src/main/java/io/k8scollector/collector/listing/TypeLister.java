package io.k8scollector.collector.listing;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.k8scollector.collector.CollectorException;
import io.k8scollector.collector.config.CollectorConfig.Selection;
import io.k8scollector.collector.discovery.ApiServer;
import io.k8scollector.collector.discovery.RequestRate;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.retry.Retrier;
import io.k8scollector.collector.retry.RetriesExhausted;
import io.k8scollector.collector.retry.Verdict;
import io.k8scollector.protocol.Skipped;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * Lists every object of one type, page by page ({@code limit} and the previous page's
 * {@code continue}): a page reader thread reads each response and cuts it into items
 * ({@link PageSplitter}), the calling thread parses them; about a megabyte of items is in flight
 * between the two ({@link ItemPipe}), however large the pages. Bookkeeping is one uid per emitted object, so that a restart never emits twice:
 *
 * <ul>
 *   <li>{@code 410 Gone} on a continue token (it expired): the type is listed again from the start;
 *   <li>429, 5xx and I/O errors (a body that breaks off included): the page is retried by the
 *       {@link Retrier} (jittered backoff, {@code Retry-After} in seconds or as an HTTP date, the
 *       policy's attempts within its deadline), then the type is skipped as {@code failed};
 *   <li>401/403 skip the type as {@code forbidden}, 404 as {@code not-found}, any other status as
 *       {@code failed}; the run goes on.
 * </ul>
 *
 * How an item is read is the caller's {@link ItemReader}. {@link #metadataOnly()} lists the
 * objects' metadata alone ({@code PartialObjectMetadataList}; a server that does not serve it
 * answers {@code 406}, {@link ListingOutcome#notAcceptable()}), and {@link #listOne} one object by
 * its name. Safe to share between threads: each call keeps its state to itself.
 */
public final class TypeLister {

    private static final Logger LOG = LoggerFactory.getLogger(TypeLister.class);

    private static final int MAX_RESTARTS = 5;
    private static final String OBJECTS = "application/json";
    /** Metadata only, and nothing else: a server that cannot answer so says 406 rather than send whole objects. */
    private static final String METADATA = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";

    private final ApiServer server;
    private final Selection selection;
    private final int pageSize;
    private final RequestRate rate;
    private final Retrier retrier;
    private final String accept;

    /**
     * A lister of {@code server}'s types.
     *
     * @param rate the run's one request rate, shared with every other request to the API server
     * @param retrier the run's retrier for requests to the API server
     */
    public TypeLister(ApiServer server, Selection selection, int pageSize, RequestRate rate, Retrier retrier) {
        this(server, selection, pageSize, rate, retrier, OBJECTS);
    }

    private TypeLister(ApiServer server, Selection selection, int pageSize, RequestRate rate, Retrier retrier,
            String accept) {
        this.server = server;
        this.selection = selection;
        this.pageSize = pageSize;
        this.rate = rate;
        this.retrier = retrier;
        this.accept = accept;
    }

    /**
     * The same lister, asking for the objects' metadata only: each item is a
     * {@code PartialObjectMetadata} ({@code apiVersion} {@code meta.k8s.io/v1}, {@code metadata}
     * alone), which {@link ItemReader#METADATA} reads.
     */
    public TypeLister metadataOnly() {
        return new TypeLister(server, selection, pageSize, rate, retrier, METADATA);
    }

    /**
     * Lists the one object of {@code type} named {@code name} in {@code namespace} (null for a
     * cluster-scoped type), as {@link #list} does: the type's list in that namespace with
     * {@code fieldSelector=metadata.name=NAME} and the label selector, so that it needs no more
     * permission than the type's {@code list}; nothing is emitted when no such object matches now.
     */
    public ListingOutcome listOne(ResourceType type, String namespace, String name, ItemReader reader,
            Consumer<ListedObject> emit) {
        return list(type, new Scope(namespace, "metadata.name=" + name), reader, emit);
    }

    /**
     * Lists {@code type}, reading each item with {@code reader} and handing it to {@code emit} (on
     * the calling thread). The pages are read, and cut into items, by a thread of the listing's
     * own ({@code page-reader}) while the calling thread parses the items already read: it never
     * waits for a page's bytes unless the parsing has caught up with them.
     */
    public ListingOutcome list(ResourceType type, ItemReader reader, Consumer<ListedObject> emit) {
        return list(type, new Scope(type.namespaced() ? selection.watchNamespace() : null, null), reader, emit);
    }

    private ListingOutcome list(ResourceType type, Scope scope, ItemReader reader, Consumer<ListedObject> emit) {
        ItemPipe<Walked> pipe = new ItemPipe<>();
        Map<String, String> context = MDC.getCopyOfContextMap();
        Thread pages = new Thread(() -> {
            if (context != null) {
                MDC.setContextMap(context);
            }
            walk(type, scope, pipe);
        }, "page-reader");
        pages.setDaemon(true);
        Items items = new Items(type, reader, emit);
        pages.start();
        boolean ended = false;
        try {
            Walked walked = items.drain(pipe);
            ended = true;
            return new ListingOutcome(type, items.emitted.size(), walked.reason(), walked.message(),
                    List.copyOf(items.refused.values()), walked.resourceVersion(), walked.notAcceptable());
        } catch (TypeSkip skip) {
            LOG.warn("Skipping {}: {}.", type.qualifiedName(), skip.getMessage());
            return new ListingOutcome(type, items.emitted.size(), skip.reason, type.qualifiedName() + ": "
                    + skip.getMessage() + ".", List.copyOf(items.refused.values()), null);
        } finally {
            pipe.close();
            if (!ended) {
                pages.interrupt();
            }
            try {
                pages.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The page reader's part: every page of {@code type}, its items into {@code pipe}, then how it ended. */
    private void walk(ResourceType type, Scope scope, ItemPipe<Walked> pipe) {
        Walked walked = null;
        RuntimeException failure = null;
        try (Walk walk = new Walk(type, scope, pipe)) {
            walked = walk.all();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            pipe.end(walked, failure);
        }
    }

    /** How the page reader ended: listed (no reason), or skipped with a reason and a message. */
    private record Walked(Skipped.Reason reason, String message, String resourceVersion, boolean notAcceptable) {}

    /**
     * Where a listing looks: the namespace of its path (null for every namespace) and a field
     * selector (null for none).
     */
    private record Scope(String namespace, String fieldSelector) {}

    /**
     * The calling thread's part: parses each batch of items the page reader hands over, and keeps
     * the bookkeeping (one uid per emitted object, so that a restart never emits twice; the objects
     * refused) which survives the reader's restarts.
     */
    private final class Items {
        private final ResourceType type;
        private final ItemReader reader;
        private final Consumer<ListedObject> emit;
        private final EmittedObjects emitted = new EmittedObjects();
        /** Objects the parser refused, by name (else position in the listing), so that a restart names each once. */
        private final Map<String, Skipped> refused = new LinkedHashMap<>();

        Items(ResourceType type, ItemReader reader, Consumer<ListedObject> emit) {
            this.type = type;
            this.reader = reader;
            this.emit = emit;
        }

        /** Reads every batch until the page reader ends; answers how it ended, or throws what it threw. */
        Walked drain(ItemPipe<Walked> pipe) {
            while (true) {
                ItemPipe.Next<Walked> next;
                try {
                    next = pipe.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CollectorException("Interrupted while listing " + type.qualifiedName() + ".", e);
                }
                if (next instanceof ItemPipe.End<Walked> end) {
                    if (end.failure() != null) {
                        throw end.failure();
                    }
                    return end.concluded();
                }
                ItemBatch batch = ((ItemPipe.Batch<Walked>) next).items();
                try {
                    read(batch);
                } catch (JacksonException e) {
                    throw new TypeSkip(Skipped.Reason.FAILED, "a list response is not valid JSON: " + e.getOriginalMessage());
                } finally {
                    pipe.release(batch.bytes());
                }
            }
        }

        /** Reads one batch, emitting its items; an item past the parser's limits is skipped alone and named in {@link #refused}. */
        private void read(ItemBatch batch) {
            int position = batch.firstItem();
            ItemSource source = new ItemSource(batch.bytes(), batch.from());
            try (ItemLimits parser = new ItemLimits(ItemLimits.LIST_RESPONSES.createParser(batch.bytes(), batch.from(),
                    batch.to() - batch.from()), ItemLimits.ITEM_NESTING)) {
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    if (token != JsonToken.START_OBJECT) {
                        parser.skipChildren();
                        continue;
                    }
                    parser.startItem();
                    try {
                        accept(reader.read(type, parser, source));
                    } catch (ItemLimits.Refused e) {
                        parser.skipItem();
                        refuse(e, parser.itemNamespace(), parser.itemName(), position);
                    }
                    position++;
                }
            }
        }

        private void refuse(ItemLimits.Refused refusal, String namespace, String name, int position) {
            String named = namespace == null ? String.valueOf(name) : namespace + "/" + name;
            LOG.warn("Skipping {} {}: {}; the rest of the type is still collected.",
                    type.qualifiedName(), named, refusal.getOriginalMessage());
            refused.putIfAbsent(name == null ? "#" + position : named,
                    refusal.entry(type.group(), type.version(), type.resource(), namespace, name));
        }

        private void accept(ListedObject item) {
            JsonNode metadata = item.metadata();
            String namespace = metadata.path("namespace").asString("");
            if (selection.ignoreNamespaces().contains(namespace)) {
                return;
            }
            String uid = metadata.path("uid").asString("");
            String identity = uid.isEmpty() ? namespace + "/" + metadata.path("name").asString("") : uid;
            if (emitted.add(identity)) {
                emit.accept(item);
            }
        }
    }

    /**
     * One listing of one type, on the page reader: its pages, started over when a continue token
     * expires. The next page is asked for as soon as this page's continue token has been read,
     * which a list response gives before its items, so that the API server prepares it and the
     * HTTP client receives its first bytes while this page's items are still coming in.
     */
    private final class Walk implements AutoCloseable {
        private final ResourceType type;
        private final Scope scope;
        private final ItemPipe<Walked> pipe;
        /** The ordinal in the listing of the next page's first item. */
        private int nextItem;
        private Sent ahead;
        /** The first page's resourceVersion: the snapshot every later page of this walk is of. */
        private String resourceVersion;

        Walk(ResourceType type, Scope scope, ItemPipe<Walked> pipe) {
            this.type = type;
            this.scope = scope;
            this.pipe = pipe;
        }

        /** Every page, started over at most {@value #MAX_RESTARTS} times; how it ended. */
        Walked all() {
            try {
                for (int restart = 0; ; restart++) {
                    try {
                        fromStart();
                        return new Walked(null, null, resourceVersion, false);
                    } catch (ContinueExpired expired) {
                        if (restart == MAX_RESTARTS) {
                            throw new TypeSkip(Skipped.Reason.FAILED, "its continue token expired " + (restart + 1) + " times");
                        }
                        LOG.info("The continue token of {} expired; listing it again from the start.", type.qualifiedName());
                    }
                }
            } catch (TypeSkip skip) {
                LOG.warn("Skipping {}: {}.", type.qualifiedName(), skip.getMessage());
                return new Walked(skip.reason, type.qualifiedName() + ": " + skip.getMessage() + ".", null,
                        skip.notAcceptable);
            }
        }

        void fromStart() {
            nextItem = 1;
            resourceVersion = null;
            String token = null;
            do {
                token = page(token);
            } while (token != null);
        }

        /**
         * Reads one page, retried by the retrier under its deadline; answers the next continue
         * token. A final answer other than 2xx ends the type: {@code 410} on a continue token
         * starts it over, {@code 401}/{@code 403} skip it as forbidden, {@code 404} as not found,
         * anything else (and retries run out) as failed.
         */
        private String page(String token) {
            String url = url(token);
            try {
                Retrier.Answered<String> page = retrier.request().until(new PageAttempt(url, takeAhead(url)),
                        (verdict, retry, retries, wait) -> LOG.info("Retrying {} in {} ms: {} at {} (retry {} of {}).",
                                type.qualifiedName(), wait.toMillis(), verdict.describe(), url, retry, retries));
                Verdict verdict = page.verdict();
                if (verdict.action() == Verdict.Action.DONE) {
                    return page.answer();
                }
                String problem = "HTTP " + verdict.status() + " at " + url;
                if (verdict.status() == 410 && token != null) {
                    throw new ContinueExpired();
                }
                if (verdict.status() == 401 || verdict.status() == 403) {
                    throw new TypeSkip(Skipped.Reason.FORBIDDEN, problem);
                }
                if (verdict.status() == 404) {
                    throw new TypeSkip(Skipped.Reason.NOT_FOUND, problem);
                }
                if (verdict.status() == 406) {
                    throw new TypeSkip(Skipped.Reason.FAILED, problem + " (the server does not serve " + accept + ")",
                            true);
                }
                throw new TypeSkip(Skipped.Reason.FAILED, problem);
            } catch (RetriesExhausted e) {
                String problem = e.last().status() > 0 ? "HTTP " + e.last().status() : e.last().describe();
                throw new TypeSkip(Skipped.Reason.FAILED, problem + " at " + url + " after " + e.attempts() + " attempts");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CollectorException("Interrupted while waiting to retry a list request at " + url + ".", e);
            }
        }

        /**
         * The attempts at one page: the first takes the request sent ahead for it, if any; a retry
         * sends anew and leaves the request already out for the next page alone. A 2xx body is
         * read here, so that a connection that breaks off in the middle of it is retried like one
         * that failed before the answer.
         */
        private final class PageAttempt implements Retrier.Attempt<String> {
            private final String url;
            private Sent ahead;

            PageAttempt(String url, Sent ahead) {
                this.url = url;
                this.ahead = ahead;
            }

            @Override
            public Retrier.Answered<String> send(Instant deadline) {
                Sent sent = ahead != null ? ahead : TypeLister.this.send(url);
                ahead = null;
                try (BodyStream body = sent.body()) {
                    HttpResponse<AsyncBody> response = sent.await();
                    Verdict verdict = Verdict.of(response.code(), Optional.ofNullable(response.header("Retry-After")),
                            retrier.clock().instant());
                    return new Retrier.Answered<>(verdict.action() == Verdict.Action.DONE ? read(body) : null, verdict);
                } catch (PageSplitter.NotAList e) {
                    throw new TypeSkip(Skipped.Reason.FAILED, e.getMessage());
                } catch (InterruptedIOException e) {
                    throw new CollectorException("Stopped listing at " + url + ": " + e.getMessage(), e);
                } catch (IOException | JacksonException e) {
                    LOG.debug("ConcurrentLister {} at {} failed: {}", type.qualifiedName(), url, e.toString());
                    return new Retrier.Answered<>(null, Verdict.ioError());
                }
            }
        }

        /** The request sent ahead for {@code url}, if that is the one out; any other is abandoned. */
        private Sent takeAhead(String url) {
            Sent sent = ahead;
            ahead = null;
            if (sent != null && !sent.url().equals(url)) {
                sent.body().close();
                return null;
            }
            return sent;
        }

        /** Asks for the page after this one, unless that request is already out (a retried page). */
        private void sendAhead(String token) {
            String url = url(token);
            Sent out = takeAhead(url);
            ahead = out != null ? out : send(url);
        }

        /** Abandons the request sent ahead, if any: the listing ended or failed without it. */
        @Override
        public void close() {
            if (ahead != null) {
                ahead.body().close();
                ahead = null;
            }
        }

        private String url(String token) {
            String path = type.namespaced() && scope.namespace() != null
                    ? type.listPath(scope.namespace())
                    : type.listPath();
            StringBuilder url = new StringBuilder(path).append("?limit=").append(pageSize);
            if (selection.labelSelector() != null) {
                url.append("&labelSelector=").append(encode(selection.labelSelector()));
            }
            if (scope.fieldSelector() != null) {
                url.append("&fieldSelector=").append(encode(scope.fieldSelector()));
            }
            if (token != null) {
                url.append("&continue=").append(encode(token));
            }
            return url.toString();
        }

        /**
         * Reads one list response, handing its items to the pipe as they arrive; answers the
         * continue token.
         */
        private String read(InputStream body) throws IOException {
            String[] token = {null};
            nextItem = new PageSplitter(body, pipe, nextItem, metadata -> {
                token[0] = metadata.path("continue").asString("");
                if (resourceVersion == null) {
                    String version = metadata.path("resourceVersion").asString("");
                    resourceVersion = version.isEmpty() ? null : version;
                }
                if (!token[0].isEmpty()) {
                    sendAhead(token[0]);
                }
            }).split();
            return token[0] == null || token[0].isEmpty() ? null : token[0];
        }
    }

    /**
     * Sends a list request; its body starts streaming into the returned {@link Sent#body()} as
     * soon as the headers arrive, whether or not anyone waits for it yet.
     */
    private Sent send(String url) {
        rate.acquire();
        HttpRequest request = server.http().newHttpRequestBuilder()
                .uri(server.resolve(url))
                .header("Accept", accept)
                .build();
        BodyStream body = new BodyStream();
        CompletableFuture<HttpResponse<AsyncBody>> response = server.http().consumeBytes(request, body);
        response.thenAccept(answered -> body.start(answered.body()));
        return new Sent(url, response, body);
    }

    /** A list request that is out: its response, and its body as a stream. */
    private record Sent(String url, CompletableFuture<HttpResponse<AsyncBody>> response, BodyStream body) {

        HttpResponse<AsyncBody> await() throws IOException {
            try {
                return response.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof IOException io ? io : new IOException(cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CollectorException("Interrupted while listing at " + url + ".", e);
            }
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The continue token expired (410): the type starts over. */
    private static final class ContinueExpired extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ContinueExpired() {
            super(null, null, false, false);
        }
    }

    /** The type cannot be listed; the run goes on without it. */
    private static final class TypeSkip extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Skipped.Reason reason;
        private final boolean notAcceptable;

        TypeSkip(Skipped.Reason reason, String message) {
            this(reason, message, false);
        }

        TypeSkip(Skipped.Reason reason, String message, boolean notAcceptable) {
            super(message, null, false, false);
            this.reason = reason;
            this.notAcceptable = notAcceptable;
        }
    }
}
