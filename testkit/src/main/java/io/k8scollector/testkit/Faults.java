package io.k8scollector.testkit;

import io.k8scollector.testkit.catalog.TypeKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failures the test cluster answers on demand, each on the API paths of one type (or one group
 * version), as a real cluster produces them. The {@code ...Once} faults answer the next matching list
 * request and are then used up. Thread-safe; a change applies to the next request. {@code group} is
 * {@code ""} for the core group.
 */
public final class Faults {

    private final Set<TypeKey> forbidden = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> brokenDiscovery = new ConcurrentHashMap<>();
    private final Set<TypeKey> expireContinue = ConcurrentHashMap.newKeySet();
    private final Map<TypeKey, Integer> throttle = new ConcurrentHashMap<>();
    private final Map<TypeKey, Integer> fail = new ConcurrentHashMap<>();
    private final Map<TypeKey, Integer> failAlways = new ConcurrentHashMap<>();
    private final Map<TypeKey, Integer> failWatches = new ConcurrentHashMap<>();
    private final Set<TypeKey> breakOff = ConcurrentHashMap.newKeySet();
    private final AtomicLong watchDrops = new AtomicLong();
    private final Map<TypeKey, Long> stalledUntil = new ConcurrentHashMap<>();
    private volatile boolean expiredWatchesAnswer410;
    private volatile int accessReviewRefusal;
    private volatile boolean metadataListsRefused;

    /**
     * Lists, watches and gets of the type answer {@code 403 Forbidden}, as without RBAC permission,
     * and access reviews of any verb on it are denied.
     */
    public void forbid(String group, String resource) {
        forbidden.add(new TypeKey(group, resource));
    }

    /**
     * {@code GET /apis/{group}/{version}} and every request below it answer {@code status}, like a dead
     * aggregated APIService; {@code /apis} still lists the group.
     */
    public void failDiscovery(String group, String version, int status) {
        brokenDiscovery.put(group + "/" + version, status);
    }

    /** The next list of the type that carries a continue token answers {@code 410 Expired}. */
    public void expireContinueOnce(String group, String resource) {
        expireContinue.add(new TypeKey(group, resource));
    }

    /** The next list of the type answers {@code 429 Too Many Requests} with {@code Retry-After}. */
    public void throttleOnce(String group, String resource, int retryAfterSeconds) {
        throttle.put(new TypeKey(group, resource), retryAfterSeconds);
    }

    /** The next list of the type answers {@code status} (such as 500 or 503). */
    public void failOnce(String group, String resource, int status) {
        fail.put(new TypeKey(group, resource), status);
    }

    /**
     * Every list of the type answers {@code status} until cleared, with {@code Retry-After: 0}, so
     * that a client's retries run out without waiting (an API server whose storage is broken).
     */
    public void failAlways(String group, String resource, int status) {
        failAlways.put(new TypeKey(group, resource), status);
    }

    /**
     * Every watch request of the type answers {@code status} (such as 503) until cleared, while its
     * lists still work: a watch that fails again and again, as behind a proxy that cuts long requests.
     */
    public void failWatches(String group, String resource, int status) {
        failWatches.put(new TypeKey(group, resource), status);
    }

    /** The status watches of the type answer, when they fail on demand. */
    public OptionalInt watchFailure(TypeKey type) {
        Integer status = failWatches.get(type);
        return status == null ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /**
     * The next list of the type sends its headers and half its items, then drops the connection,
     * as when an API server restarts or a proxy gives up in the middle of a response.
     */
    public void breakOffOnce(String group, String resource) {
        breakOff.add(new TypeKey(group, resource));
    }

    /**
     * Drops the connection of every watch open now, in the middle of its response, as when an API
     * server restarts or a load balancer cuts long requests; watches opened later are not affected.
     */
    public void dropWatches() {
        watchDrops.incrementAndGet();
    }

    /**
     * Watches of the type, open now or opened during the stall, send nothing (no event, no bookmark)
     * for {@code duration}, then deliver what happened meanwhile, as a stuck API server does.
     */
    public void stallWatches(String group, String resource, Duration duration) {
        stalledUntil.put(new TypeKey(group, resource), System.nanoTime() + duration.toNanos());
    }

    /**
     * A watch from a resourceVersion older than the history kept answers a plain {@code 410 Gone}
     * instead of its usual {@code 200} stream holding one {@code ERROR} event with a 410 Status.
     */
    public void answerExpiredWatchesWith410() {
        expiredWatchesAnswer410 = true;
    }

    /**
     * {@code SelfSubjectAccessReview}s answer {@code status} (404 as where the authorization API is
     * not served, 403 as where the identity may not create reviews) instead of a verdict.
     */
    public void refuseAccessReviews(int status) {
        accessReviewRefusal = status;
    }

    /**
     * Lists that ask for metadata only ({@code Accept: application/json;as=PartialObjectMetadataList;
     * g=meta.k8s.io;v=v1}) and accept nothing else answer {@code 406 Not Acceptable}, as an API
     * server older than 1.15 (or an aggregated API that does not serve that form) does.
     */
    public void refuseMetadataLists() {
        metadataListsRefused = true;
    }

    /** Whether metadata-only lists are refused with 406. */
    public boolean metadataListsRefused() {
        return metadataListsRefused;
    }

    /** The status access reviews are refused with, when they are. */
    public OptionalInt accessReviewRefusal() {
        int status = accessReviewRefusal;
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** Removes every fault (watches already dropped stay dropped). */
    public void clear() {
        forbidden.clear();
        brokenDiscovery.clear();
        expireContinue.clear();
        throttle.clear();
        fail.clear();
        failAlways.clear();
        failWatches.clear();
        breakOff.clear();
        stalledUntil.clear();
        expiredWatchesAnswer410 = false;
        accessReviewRefusal = 0;
        metadataListsRefused = false;
    }

    /** How many times every open watch was told to drop; a watch drops when this grows after it opened. */
    public long watchDrops() {
        return watchDrops.get();
    }

    /** How long watches of the type must stay silent from now, in nanoseconds; 0 or less when they need not. */
    public long stallNanos(TypeKey type) {
        Long until = stalledUntil.get(type);
        return until == null ? 0 : until - System.nanoTime();
    }

    /** Whether a watch from a forgotten resourceVersion answers a plain HTTP 410. */
    public boolean expiredWatchesAnswer410() {
        return expiredWatchesAnswer410;
    }

    /** Whether requests for the type are forbidden. */
    public boolean forbidden(TypeKey type) {
        return forbidden.contains(type);
    }

    /** The status {@code group/version} answers, when its discovery is broken. */
    public OptionalInt discoveryFailure(String group, String version) {
        Integer status = brokenDiscovery.get(group + "/" + version);
        return status == null ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /**
     * Takes the one-shot fault that the list request now arriving must answer, if any: a failure first,
     * then a throttle, then (only when the request continues a list) an expiry.
     */
    public Optional<ListFault> takeListFault(TypeKey type, boolean continuing) {
        Integer always = failAlways.get(type);
        if (always != null) {
            return Optional.of(new ListFault(always, 0));
        }
        Integer status = fail.remove(type);
        if (status != null) {
            return Optional.of(new ListFault(status, ListFault.NO_RETRY_AFTER));
        }
        Integer retryAfter = throttle.remove(type);
        if (retryAfter != null) {
            return Optional.of(new ListFault(429, retryAfter));
        }
        if (continuing && expireContinue.remove(type)) {
            return Optional.of(new ListFault(410, ListFault.NO_RETRY_AFTER));
        }
        return Optional.empty();
    }

    /** Takes the one-shot fault that breaks off the list response now being written, if set. */
    public boolean takeBreakOff(TypeKey type) {
        return breakOff.remove(type);
    }

    /**
     * A fault a list request answers.
     *
     * @param status the HTTP status
     * @param retryAfterSeconds the {@code Retry-After} value, or {@link #NO_RETRY_AFTER}
     */
    public record ListFault(int status, int retryAfterSeconds) {

        /** No {@code Retry-After} header. */
        public static final int NO_RETRY_AFTER = -1;
    }
}
