package io.k8scollector.testkit.server;

import io.k8scollector.protocol.LabelSelector;
import io.k8scollector.testkit.Faults;
import io.k8scollector.testkit.catalog.ApiResource;
import io.k8scollector.testkit.store.FieldSelector;
import io.k8scollector.testkit.store.ObjectStore;
import io.k8scollector.testkit.store.StoredObject;
import io.k8scollector.testkit.store.WatchEvent;
import io.k8scollector.testkit.store.WatchHistory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One watch: {@code GET <list path>?watch=1}, answered as the real API server does, with a chunked
 * stream of newline-delimited events ({@code ADDED}, {@code MODIFIED}, {@code DELETED},
 * {@code BOOKMARK}, {@code ERROR}) whose objects carry {@code apiVersion} and {@code kind}.
 *
 * <p>Without a resourceVersion (or with "0", or with {@code sendInitialEvents=true}) it starts with an
 * {@code ADDED} event for each current object; else it replays the history after that version, or
 * sends one {@code ERROR} event with a 410 Status when that history is gone. Selectors apply as in the
 * watch cache: an object that stops matching arrives as {@code DELETED}, one that starts matching as
 * {@code ADDED}. The stream ends after {@code timeoutSeconds} or the server's cap. The watch holds its
 * own thread of the server's unbounded pool, waiting on the type's history between changes, so open
 * watches never delay other requests.
 */
final class WatchStream {

    /** How many events a watch reads from the history and writes in one flush. */
    private static final int BATCH = 1024;
    /** How often a waiting watch looks at the faults. */
    private static final long POLL_MILLIS = 100;
    private static final byte[] LINE_END = "}\n".getBytes(StandardCharsets.UTF_8);

    private final ObjectStore store;
    private final Faults faults;
    private final WatchLimits limits;

    WatchStream(ObjectStore store, Faults faults, WatchLimits limits) {
        this.store = store;
        this.faults = faults;
        this.limits = limits;
    }

    /** Thrown to leave the connection to be closed by the HTTP server without ending the response. */
    static final class DroppedConnection extends IOException {
        private static final long serialVersionUID = 1L;

        DroppedConnection() {
            super("fault: the watch connection is dropped");
        }
    }

    void serve(Exchange exchange, ApiResource type, ResourcePath request) throws IOException {
        long drops = faults.watchDrops();
        Query query;
        try {
            query = query(exchange, request.namespace());
        } catch (IllegalArgumentException e) {
            exchange.status(Status.reasonFor(400, e.getMessage()));
            return;
        }
        WatchHistory history = store.watchable(type.key()).history();
        ObjectStore.Snapshot snapshot = query.initial() ? store.snapshot(type.key()) : null;
        WatchHistory.Batch probe = query.initial() ? null : readNoWait(history, query.from());
        boolean gone = probe != null && probe.gone();
        if (gone && faults.expiredWatchesAnswer410()) {
            exchange.status(expired(query.from(), probe.forgottenUpTo()));
            return;
        }
        Writer writer = new Writer(exchange.streamChunked(), type, request.version());
        if (gone) {
            writer.error(expired(query.from(), probe.forgottenUpTo()));
        } else {
            long cursor = query.from();
            if (snapshot != null) {
                for (StoredObject object : snapshot.objects()) {
                    if (query.filter() == null || query.filter().test(object)) {
                        writer.event("ADDED", object);
                    }
                }
                cursor = snapshot.revision();
                if (query.bookmarks() && query.initialEventsEnd()) {
                    writer.bookmark(cursor, true);
                }
                writer.out.flush();
            }
            stream(writer, history, query, cursor, drops, type);
        }
        // Reached when the server ends the watch; a dropped connection must skip this proper end.
        writer.out.close();
    }

    private void stream(Writer writer, WatchHistory history, Query query, long from, long drops, ApiResource type)
            throws IOException {
        long cursor = from;
        long interval = limits.bookmarkInterval().toNanos();
        long nextBookmark = System.nanoTime() + interval;
        while (true) {
            long now = System.nanoTime();
            if (now >= query.deadline()) {
                return;
            }
            if (faults.watchDrops() != drops) {
                writer.out.flush();
                throw new DroppedConnection();
            }
            long stall = faults.stallNanos(type.key());
            if (stall > 0) {
                sleep(Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(stall) + 1));
                continue;
            }
            long committed = store.resourceVersion();
            long wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(
                    Math.min(query.deadline() - now, query.bookmarks() ? nextBookmark - now : Long.MAX_VALUE)));
            WatchHistory.Batch batch;
            try {
                batch = history.after(cursor, BATCH, Math.min(POLL_MILLIS, wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (batch.gone()) {
                writer.error(expired(cursor, batch.forgottenUpTo()));
                return;
            }
            for (WatchEvent event : batch.events()) {
                writer.change(event, query.filter());
                cursor = event.revision();
            }
            if (batch.closed()) {
                return;
            }
            if (query.bookmarks() && System.nanoTime() >= nextBookmark && batch.events().size() < BATCH) {
                // Every change up to the revision read before the batch is in it, so the bookmark may say so.
                cursor = Math.max(cursor, committed);
                writer.bookmark(cursor, false);
                nextBookmark = System.nanoTime() + interval;
            }
            if (writer.pending) {
                writer.out.flush();
                writer.pending = false;
            }
        }
    }

    private Query query(Exchange exchange, String namespace) {
        String resourceVersion = exchange.param("resourceVersion");
        boolean initialEvents = "true".equals(exchange.param("sendInitialEvents"));
        boolean initial = resourceVersion == null || resourceVersion.isEmpty() || resourceVersion.equals("0")
                || initialEvents;
        LabelSelector labels = LabelSelector.parse(exchange.param("labelSelector"));
        FieldSelector fields = FieldSelector.parse(exchange.param("fieldSelector"));
        Predicate<StoredObject> filter = namespace == null && labels.isEmpty() && fields.isEmpty()
                ? null
                : object -> (namespace == null || namespace.equals(object.namespace()))
                        && labels.test(object.labels()) && fields.test(object);
        long deadline = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(timeoutMillis(exchange.param("timeoutSeconds")));
        return new Query(filter, initial, initial ? 0 : resourceVersion(resourceVersion), deadline,
                "true".equals(exchange.param("allowWatchBookmarks")), initialEvents);
    }

    private static WatchHistory.Batch readNoWait(WatchHistory history, long from) {
        try {
            return history.after(from, 0, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the watch history", e);
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("the test cluster is stopping", e);
        }
    }

    private long timeoutMillis(String value) {
        long cap = limits.maxWatch().toMillis();
        if (value == null || value.isEmpty()) {
            return cap;
        }
        try {
            long seconds = Long.parseLong(value);
            if (seconds < 0) {
                throw new NumberFormatException(value);
            }
            return seconds == 0 ? cap : Math.min(cap, TimeUnit.SECONDS.toMillis(seconds));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("timeoutSeconds \"" + value
                    + "\" is not a whole number of seconds; allowed: 0 or more");
        }
    }

    private static long resourceVersion(String value) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new NumberFormatException(value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid resource version \"" + value
                    + "\"; allowed: a resourceVersion this server reported");
        }
    }

    private static Status expired(long asked, long forgottenUpTo) {
        return Status.reasonFor(410, "too old resource version: " + asked + " (" + forgottenUpTo + ")");
    }

    /**
     * What a watch asks for.
     *
     * @param filter the namespace of its path and its selectors; null for every object
     * @param initial whether it starts with the current objects
     * @param from the revision after which it reports changes, when not initial
     * @param deadline when the server ends it, in {@link System#nanoTime()} terms
     * @param bookmarks whether it allows bookmarks
     * @param initialEventsEnd whether it asked for a bookmark at the end of the initial objects
     */
    private record Query(Predicate<StoredObject> filter, boolean initial, long from, long deadline,
            boolean bookmarks, boolean initialEventsEnd) {}

    /** Writes events as lines of JSON; built-in objects get their apiVersion and kind here. */
    private static final class Writer {
        private final OutputStream out;
        private final byte[] typePrefix;
        private final String typeFields;
        private boolean pending;

        Writer(OutputStream out, ApiResource type, String version) {
            this.out = out;
            this.typeFields = "\"kind\":\"" + type.kind() + "\",\"apiVersion\":\"" + type.apiVersion(version) + "\"";
            this.typePrefix = ("{" + typeFields + ",").getBytes(StandardCharsets.UTF_8);
        }

        /** One change, as a watcher with {@code filter} sees it. */
        void change(WatchEvent event, Predicate<StoredObject> filter) throws IOException {
            switch (event.type()) {
                case ADDED -> {
                    if (filter == null || filter.test(event.object())) {
                        event("ADDED", event.object());
                    }
                }
                case DELETED -> {
                    if (filter == null || filter.test(event.object())) {
                        event("DELETED", event.object());
                    }
                }
                case MODIFIED -> {
                    boolean now = filter == null || filter.test(event.object());
                    boolean before = filter == null || filter.test(event.previous());
                    if (now) {
                        event(before ? "MODIFIED" : "ADDED", event.object());
                    } else if (before) {
                        event("DELETED", event.previous().atResourceVersion(event.revision()));
                    }
                }
            }
        }

        void event(String kind, StoredObject object) throws IOException {
            out.write(("{\"type\":\"" + kind + "\",\"object\":").getBytes(StandardCharsets.UTF_8));
            out.write(typePrefix);
            byte[] body = object.body();
            out.write(body, 1, body.length - 1);
            out.write(LINE_END);
            pending = true;
        }

        void bookmark(long revision, boolean initialEventsEnd) throws IOException {
            String annotations = initialEventsEnd
                    ? ",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}"
                    : "";
            out.write(("{\"type\":\"BOOKMARK\",\"object\":{" + typeFields + ",\"metadata\":{\"resourceVersion\":\""
                    + revision + "\"" + annotations + "}}}\n").getBytes(StandardCharsets.UTF_8));
            pending = true;
        }

        void error(Status status) throws IOException {
            out.write("{\"type\":\"ERROR\",\"object\":".getBytes(StandardCharsets.UTF_8));
            out.write(status.toJson());
            out.write(LINE_END);
            pending = true;
        }
    }
}
