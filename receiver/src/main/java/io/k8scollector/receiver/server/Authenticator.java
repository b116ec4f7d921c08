package io.k8scollector.receiver.server;

import io.javalin.http.Context;
import io.k8scollector.protocol.ErrorBody;
import io.k8scollector.receiver.keys.AccessKeys;
import io.k8scollector.receiver.keys.Caller;
import io.k8scollector.receiver.keys.Scope;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Resolves a request's bearer token: 401 without a live token, 403 for a cluster the key may not
 * touch or a scope it lacks, 429 when the key already has its quota of requests in flight on this
 * replica. The request holds its place until {@link #release} runs after it; the places taken
 * on this replica are the metric {@code receiver_requests_in_flight}.
 */
public final class Authenticator {

    private static final String PERMIT = "io.k8scollector.receiver.permit";

    private final AccessKeys keys;
    private final Clock clock;
    private final int inFlightPerKey;
    private final ReceiverMetrics metrics;
    private final Map<String, Semaphore> inFlight = new ConcurrentHashMap<>();

    public Authenticator(AccessKeys keys, Clock clock, int inFlightPerKey, ReceiverMetrics metrics) {
        this.keys = keys;
        this.clock = clock;
        this.inFlightPerKey = inFlightPerKey;
        this.metrics = metrics;
    }

    /** The request's bearer token, or null. */
    public static String token(Context ctx) {
        String header = ctx.header("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    }

    /**
     * The caller, whatever the cluster and scope, without taking a place in its key's quota of
     * requests in flight: signing out, which a key at its quota must still be able to do.
     */
    public Caller signedIn(Context ctx) {
        String token = token(ctx);
        return keys.caller(token, clock.instant()).orElseThrow(() -> new ApiException(401, ErrorBody.UNAUTHORIZED,
                token == null ? "Missing bearer token: log in first." : "Unknown or expired token: log in again."));
    }

    /** The caller, whatever the cluster and scope, holding a place among its key's requests in flight. */
    public Caller caller(Context ctx) {
        Caller caller = signedIn(ctx);
        admit(ctx, caller);
        return caller;
    }

    /** The caller, when its key has {@code scope} (the clusters it may touch are the caller's to filter by). */
    public Caller caller(Context ctx, Scope scope) {
        Caller caller = caller(ctx);
        if (!caller.may(scope)) {
            throw new ApiException(403, ErrorBody.FORBIDDEN, "Access key " + caller.accessKey() + " has no "
                    + scope.label() + " scope: " + (scope == Scope.READ
                            ? "make a key with --scope read to query." : "make a key with --scope ingest to send."));
        }
        return caller;
    }

    /** The caller, when its key has {@code scope} and may touch {@code clusterId}. */
    public Caller caller(Context ctx, String clusterId, Scope scope) {
        Caller caller = caller(ctx, scope);
        if (!caller.allows(clusterId)) {
            throw new ApiException(403, ErrorBody.FORBIDDEN,
                    "Access key " + caller.accessKey() + " is not allowed for cluster '" + clusterId + "'.");
        }
        return caller;
    }

    private void admit(Context ctx, Caller caller) {
        if (ctx.attribute(PERMIT) != null) {
            return;
        }
        Semaphore permits = inFlight.computeIfAbsent(caller.accessKey(), k -> new Semaphore(inFlightPerKey));
        if (!permits.tryAcquire()) {
            throw ApiException.tooManyRequests("Access key " + caller.accessKey() + " has " + inFlightPerKey
                    + " requests in flight on this replica already.", 1);
        }
        ctx.attribute(PERMIT, permits);
        metrics.inFlight(1);
    }

    /** Gives back the request's place among its key's requests in flight, if it took one. */
    public void release(Context ctx) {
        Semaphore permits = ctx.attribute(PERMIT);
        if (permits != null) {
            ctx.attribute(PERMIT, null);
            metrics.inFlight(-1);
            permits.release();
        }
    }
}
