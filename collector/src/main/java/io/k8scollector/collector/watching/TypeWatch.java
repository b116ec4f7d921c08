package io.k8scollector.collector.watching;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.k8scollector.collector.discovery.ApiServer;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.discovery.RequestRate;
import io.k8scollector.protocol.Skipped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The watch of one type from a resourceVersion (a list's), over the listing's HTTP client, with its
 * namespace scoping and label selector ({@link WatchScope}): {@code ?watch=1&resourceVersion=RV&
 * allowWatchBookmarks=true&timeoutSeconds=T}, {@code T} random in the {@link WatchTiming} range.
 * The stream is read event by event as it arrives; each event's object is parsed whole, handed to
 * the {@link WatchListener} and let go.
 *
 * <ul>
 *   <li>The server ends the stream (its timeout), the connection drops, an {@code ERROR} event
 *       other than 410 arrives, or the stream stays silent past the timeout asked for plus the
 *       grace: the watch starts again from the last resourceVersion seen (a bookmark's included),
 *       at once after a stream that delivered anything, else after a jittered exponential backoff.
 *       It never lists.
 *   <li>{@code 410 Gone} (an {@code ERROR} event with code 410, or the answer's status): the watch
 *       ends and says {@link WatchListener#expired}, so that the caller lists the type again.
 *   <li>401/403, 404 and other 4xx answers: the watch ends and says {@link WatchListener#refused}.
 *   <li>429, 5xx and connection errors are retried without end: an unreachable API server is
 *       waited out; the caller sees each attempt in {@link WatchListener#restarting} and may give
 *       the type up.
 * </ul>
 *
 * One thread per watch, which only waits. {@link #close()} stops it; no listener call follows.
 */
public final class TypeWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TypeWatch.class);

    /**
     * One level less than the listing allows an item ({@code ItemLimits}): a watch event nests its
     * object one level less deep than a list nests its items, so that the same objects are refused.
     */
    static final int MAX_EVENT_DEPTH = 499;
    /** How often the watch's thread looks at the stream's silence and at {@link #close()}. */
    private static final long POLL_MILLIS = 200;

    private static final JsonMapper EVENTS = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_EVENT_DEPTH).build())
                    .build())
            .build();

    /** Where a watch stands. */
    public enum State {
        /** Streaming, or about to stream again. */
        RUNNING,
        /** Ended by {@code 410 Gone}: the type must be listed again. */
        EXPIRED,
        /** Ended because the server refused the watch. */
        REFUSED,
        /** Stopped by {@link #close()}. */
        CLOSED
    }

    private final ApiServer server;
    private final ResourceType type;
    private final WatchScope scope;
    private final WatchTiming timing;
    private final RequestRate rate;
    private final WatchListener listener;
    /** Held around every listener call, so that calls never overlap and none runs after close. */
    private final ReentrantLock calls = new ReentrantLock();
    private final Thread thread;
    private volatile String resourceVersion;
    private volatile State state = State.RUNNING;
    private volatile Attempt current;

    private TypeWatch(ApiServer server, ResourceType type, WatchScope scope, WatchTiming timing, RequestRate rate,
            String resourceVersion, WatchListener listener) {
        this.server = server;
        this.type = type;
        this.scope = scope;
        this.timing = timing;
        this.rate = rate;
        this.listener = listener;
        this.resourceVersion = resourceVersion;
        this.thread = new Thread(this::run, "watch-" + type.qualifiedName());
        thread.setDaemon(true);
    }

    /**
     * Starts watching {@code type} for the changes after {@code resourceVersion} (the resourceVersion
     * of the list the caller made of it, so that nothing between the two is missed).
     *
     * @throws IllegalArgumentException when {@code resourceVersion} is empty (a watch from "now" or
     *     with the current objects first is not what the collector wants)
     */
    public static TypeWatch start(ApiServer server, ResourceType type, WatchScope scope, WatchTiming timing,
            RequestRate rate, String resourceVersion, WatchListener listener) {
        if (resourceVersion == null || resourceVersion.isEmpty() || resourceVersion.equals("0")) {
            throw new IllegalArgumentException("a watch of " + type.qualifiedName()
                    + " needs the resourceVersion of a list, got '" + resourceVersion + "'");
        }
        TypeWatch watch = new TypeWatch(server, type, scope, timing, rate, resourceVersion, listener);
        watch.thread.start();
        return watch;
    }

    /** The type watched. */
    public ResourceType type() {
        return type;
    }

    /** The last resourceVersion seen (an event's or a bookmark's); where a restart resumes. */
    public String resourceVersion() {
        return resourceVersion;
    }

    public State state() {
        return state;
    }

    /** Stops the watch and waits for its thread; no listener call happens after this returns. */
    @Override
    public void close() {
        calls.lock();
        try {
            if (state == State.RUNNING) {
                state = State.CLOSED;
            }
        } finally {
            calls.unlock();
        }
        Attempt attempt = current;
        if (attempt != null) {
            attempt.cancel();
        }
        if (Thread.currentThread() != thread) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        int failures = 0;
        while (state == State.RUNNING) {
            Outcome outcome = attempt();
            if (state != State.RUNNING) {
                return;
            }
            switch (outcome.kind) {
                case EXPIRED -> {
                    end(State.EXPIRED, () -> listener.expired(type));
                    LOG.info("The watch of {} expired at resourceVersion {} (410 Gone): the type is to be listed again.",
                            type.qualifiedName(), resourceVersion);
                    return;
                }
                case REFUSED -> {
                    end(State.REFUSED, () -> listener.refused(type, outcome.reason, outcome.why));
                    LOG.warn("Cannot watch {}: {}.", type.qualifiedName(), outcome.why);
                    return;
                }
                case ENDED -> failures = 0;
                case FAILED -> failures++;
            }
            Duration delay = outcome.kind == OutcomeKind.ENDED ? Duration.ZERO : timing.backoff(failures);
            int attempts = failures;
            call(() -> listener.restarting(type, attempts, delay, outcome.why));
            LOG.debug("Watching {} again from resourceVersion {} in {} ms: {}.",
                    type.qualifiedName(), resourceVersion, delay.toMillis(), outcome.why);
            if (!sleep(delay)) {
                return;
            }
        }
    }

    private Outcome attempt() {
        int timeoutSeconds = timing.timeoutSeconds();
        String url = scope.url(type, resourceVersion, timeoutSeconds);
        try {
            rate.acquire();
        } catch (RuntimeException e) {
            return Outcome.failed("interrupted");
        }
        Attempt attempt = new Attempt(url, TimeUnit.SECONDS.toNanos(timeoutSeconds) + timing.idleGrace().toNanos());
        current = attempt;
        try {
            return attempt.run();
        } finally {
            attempt.cancel();
            current = null;
        }
    }

    /** Runs {@code call} under the calls lock unless the watch stopped. */
    private void call(Runnable call) {
        calls.lock();
        try {
            if (state == State.RUNNING) {
                call.run();
            }
        } finally {
            calls.unlock();
        }
    }

    /** Ends the watch in {@code ended} and makes the one last call, unless it was closed meanwhile. */
    private void end(State ended, Runnable call) {
        calls.lock();
        try {
            if (state == State.RUNNING) {
                state = ended;
                call.run();
            }
        } finally {
            calls.unlock();
        }
    }

    private boolean sleep(Duration delay) {
        if (delay.isZero()) {
            return state == State.RUNNING;
        }
        try {
            Thread.sleep(delay.toMillis());
            return state == State.RUNNING;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private enum OutcomeKind { ENDED, FAILED, EXPIRED, REFUSED }

    /** How one stream ended. */
    private record Outcome(OutcomeKind kind, String why, Skipped.Reason reason) {
        static Outcome failed(String why) {
            return new Outcome(OutcomeKind.FAILED, why, null);
        }

        static Outcome ended(String why) {
            return new Outcome(OutcomeKind.ENDED, why, null);
        }
    }

    /** One request and its stream. */
    private final class Attempt implements EventLines.Handler {
        /** The whole URL, for the request and for messages. */
        private final String url;
        /** How long the stream may stay silent: the timeout asked for, plus the grace. */
        private final long idleNanos;
        private final EventLines lines = new EventLines(this);
        /** Completed by the event handler when the stream must end: an {@code ERROR} event, a broken line. */
        private final CompletableFuture<Outcome> stop = new CompletableFuture<>();
        private volatile AsyncBody body;
        private volatile boolean cancelled;

        Attempt(String path, long idleNanos) {
            this.url = server.resolve(path).toString();
            this.idleNanos = idleNanos;
        }

        Outcome run() {
            HttpRequest request = server.http().newHttpRequestBuilder()
                    .uri(url)
                    .header("Accept", "application/json")
                    .build();
            CompletableFuture<HttpResponse<AsyncBody>> answer = server.http().consumeBytes(request, lines);
            HttpResponse<AsyncBody> response;
            try {
                response = await(answer);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                return Outcome.failed(cause.getClass().getSimpleName() + " at " + url);
            }
            if (response == null) {
                answer.cancel(true);
                return Outcome.failed(state == State.RUNNING ? "no answer from " + url : "closed");
            }
            body = response.body();
            if (cancelled) {
                body.cancel();
                return Outcome.failed("closed");
            }
            int code = response.code();
            if (code != 200) {
                body.cancel();
                return answered(code);
            }
            body.consume();
            return stream();
        }

        private HttpResponse<AsyncBody> await(CompletableFuture<HttpResponse<AsyncBody>> answer)
                throws ExecutionException {
            long deadline = System.nanoTime() + idleNanos;
            while (state == State.RUNNING && System.nanoTime() < deadline) {
                try {
                    return answer.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // look at close() and the deadline again
                } catch (InterruptedException e) {
                    return null;
                }
            }
            return null;
        }

        private Outcome stream() {
            CompletableFuture<Void> done = body.done();
            while (true) {
                if (state != State.RUNNING) {
                    return Outcome.failed("closed");
                }
                if (stop.isDone()) {
                    return stop.join();
                }
                try {
                    CompletableFuture.anyOf(done, stop).get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (stop.isDone()) {
                        return stop.join();
                    }
                    return ended("the server ended the stream at " + url);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    return ended("the connection dropped (" + cause.getClass().getSimpleName() + ") at " + url);
                } catch (TimeoutException e) {
                    if (System.nanoTime() - lines.lastActivity() > idleNanos) {
                        return ended("nothing arrived for " + TimeUnit.NANOSECONDS.toSeconds(idleNanos) + " s at " + url);
                    }
                } catch (InterruptedException e) {
                    return Outcome.failed("closed");
                }
            }
        }

        /** A stream that delivered anything worked: it is resumed at once; else it counts as a failure. */
        private Outcome ended(String why) {
            return lines.delivered() ? Outcome.ended(why) : Outcome.failed(why);
        }

        private Outcome answered(int code) {
            String why = "HTTP " + code + " at " + url;
            if (code == 410) {
                return new Outcome(OutcomeKind.EXPIRED, why, null);
            }
            if (code == 401 || code == 403) {
                return new Outcome(OutcomeKind.REFUSED, why, Skipped.Reason.FORBIDDEN);
            }
            if (code == 404) {
                return new Outcome(OutcomeKind.REFUSED, why, Skipped.Reason.NOT_FOUND);
            }
            if (code != 429 && code < 500) {
                return new Outcome(OutcomeKind.REFUSED, why, Skipped.Reason.FAILED);
            }
            return Outcome.failed(why);
        }

        void cancel() {
            cancelled = true;
            AsyncBody open = body;
            if (open != null) {
                open.cancel();
            }
        }

        @Override
        public boolean reading() {
            return !cancelled && !stop.isDone() && state == State.RUNNING;
        }

        @Override
        public void tooLong(long length) {
            call(() -> listener.refusedObject(type, Skipped.object(type.group(), type.version(), type.resource(), null, null,
                    Skipped.Reason.TOO_LARGE, "a watch event of " + length + " bytes, over the "
                            + EventLines.MAX_EVENT_BYTES + " the collector reads, was left out.")));
        }

        @Override
        public void line(byte[] bytes, int length) {
            JsonNode event;
            try {
                event = EVENTS.readTree(bytes, 0, length);
            } catch (StreamConstraintsException e) {
                call(() -> listener.refusedObject(type, Skipped.object(type.group(), type.version(), type.resource(), null,
                        null, Skipped.Reason.UNPARSEABLE, "the collector's parser refused a watch event: "
                                + e.getOriginalMessage() + ".")));
                return;
            } catch (JacksonException e) {
                stop.complete(Outcome.failed("an event that is not JSON at " + url));
                return;
            }
            String kind = event.path("type").asString("");
            JsonNode object = event.path("object");
            switch (kind) {
                case "ADDED", "MODIFIED", "DELETED" -> change(WatchEvent.Change.valueOf(kind), object);
                case "BOOKMARK" -> progress(object.path("metadata").path("resourceVersion").asString(""));
                case "ERROR" -> {
                    int code = object.path("code").asInt(0);
                    String why = "an ERROR event (" + code + " " + object.path("reason").asString("") + ": "
                            + object.path("message").asString("") + ") at " + url;
                    stop.complete(code == 410
                            ? new Outcome(OutcomeKind.EXPIRED, why, null)
                            : lines.delivered() ? Outcome.ended(why) : Outcome.failed(why));
                }
                default -> LOG.debug("Ignoring a watch event of type '{}' at {}.", kind, url);
            }
        }

        private void change(WatchEvent.Change change, JsonNode node) {
            if (!(node instanceof ObjectNode object)) {
                stop.complete(Outcome.failed("a " + change + " event without an object at " + url));
                return;
            }
            typed(object);
            ObjectHead head = ObjectHead.of(object);
            if (!head.resourceVersion().isEmpty()) {
                resourceVersion = head.resourceVersion();
            }
            if (scope.ignores(head.namespace())) {
                progress(head.resourceVersion());
                return;
            }
            call(() -> listener.changed(new WatchEvent(type, change, head, object)));
        }

        private void progress(String version) {
            if (version.isEmpty()) {
                return;
            }
            resourceVersion = version;
            call(() -> listener.progressed(type, version));
        }

        /** As the listing emits objects: {@code apiVersion} and {@code kind} set, no {@code managedFields}. */
        private void typed(ObjectNode object) {
            if (object.path("metadata") instanceof ObjectNode metadata) {
                metadata.remove("managedFields");
            }
            if (!object.has("apiVersion")) {
                object.put("apiVersion", type.apiVersion());
            }
            if (!object.has("kind")) {
                object.put("kind", type.kind());
            }
        }
    }
}
