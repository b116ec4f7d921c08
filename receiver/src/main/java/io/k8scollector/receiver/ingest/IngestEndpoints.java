package io.k8scollector.receiver.ingest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.k8scollector.protocol.Abort;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.LoginRequest;
import io.k8scollector.protocol.LoginResponse;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.StartAnswer;
import io.k8scollector.receiver.health.CollectorActivity;
import io.k8scollector.receiver.keys.AccessKeys;
import io.k8scollector.receiver.server.ApiException;
import io.k8scollector.receiver.keys.Scope;
import io.k8scollector.receiver.server.Authenticator;
import io.k8scollector.receiver.server.LoginThrottle;
import io.k8scollector.receiver.server.PathParams;
import io.k8scollector.receiver.server.ReceiverMetrics;
import io.k8scollector.receiver.store.RecordRow;
import io.k8scollector.receiver.store.Refused;
import io.k8scollector.receiver.store.Snapshots;
import io.k8scollector.protocol.ErrorBody;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The protocol's requests: login, start, a page of each record kind and of deletions, commit, abort; and signing out,
 * which the inventory page uses. Everything but login and sign-out needs a key with the ingest scope.
 */
public final class IngestEndpoints {

    /** Deletes the request's token: the page's sign-out (not part of the protocol). */
    public static final String LOGOUT = "/account/access_keys/logout";

    private final AccessKeys keys;
    private final Authenticator auth;
    private final LoginThrottle throttle;
    private final Snapshots snapshots;
    private final BodyReader logins;
    private final BodyReader bodies;
    private final ReceiverMetrics metrics;
    private final CollectorActivity activity;
    private final Clock clock;

    /** @param activity told of every request of a cluster's collector, for its health */
    public IngestEndpoints(AccessKeys keys, Authenticator auth, LoginThrottle throttle, Snapshots snapshots,
            BodyReader logins, BodyReader bodies, ReceiverMetrics metrics, CollectorActivity activity, Clock clock) {
        this.keys = keys;
        this.auth = auth;
        this.throttle = throttle;
        this.snapshots = snapshots;
        this.logins = logins;
        this.bodies = bodies;
        this.metrics = metrics;
        this.activity = activity;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.post(Paths.LOGIN, this::login);
        routes.post(LOGOUT, this::logout);
        routes.post(Paths.fetchings("{clusterId}"), this::start);
        for (RecordKind kind : RecordKind.values()) {
            routes.post(Paths.records("{clusterId}", "{fetchingId}", kind), ctx -> page(ctx, kind));
        }
        routes.post(Paths.deletions("{clusterId}", "{fetchingId}"), this::deletions);
        routes.post(Paths.commit("{clusterId}", "{fetchingId}"), this::commit);
        routes.post(Paths.abort("{clusterId}", "{fetchingId}"), this::abort);
    }

    private void login(Context ctx) {
        try {
            throttle.admitAddress(ctx);
        } catch (ApiException e) {
            logins.discard(ctx);
            throw e;
        }
        LoginRequest login = logins.read(ctx, LoginRequest.class);
        throttle.admitKey(login.accessKey());
        String token = keys.login(login.accessKey(), login.secretKey(), clock.instant())
                .orElseThrow(() -> new ApiException(401, ErrorBody.UNAUTHORIZED, "Unknown access key or wrong secret key."));
        ctx.json(new LoginResponse(token, AccessKeys.TOKEN_LIFETIME.toSeconds(), "Bearer"));
    }

    private void logout(Context ctx) {
        auth.signedIn(ctx);
        keys.revokeToken(Authenticator.token(ctx));
        ctx.status(204);
    }

    private void start(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        auth.caller(ctx, clusterId, Scope.INGEST);
        FetchingStart start = bodies.read(ctx, FetchingStart.class);
        PathParams.fetchingId(start.fetchingId(), "fetchingId");
        if (start.clusterUniqueId() == null || start.clusterUniqueId().isBlank()) {
            throw ApiException.badRequest("clusterUniqueId is missing: send the kube-system Namespace's metadata.uid.");
        }
        if (start.speaks11() && start.base() != null) {
            PathParams.fetchingId(start.base(), "base");
        }
        Instant now = clock.instant();
        StartAnswer answer = snapshots.start(clusterId, start, now);
        activity.started(clusterId, start, now);
        if (answer == null) {
            ctx.status(204);
        } else {
            ctx.status(200).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(answer));
        }
    }

    private void page(Context ctx, RecordKind kind) {
        String clusterId = PathParams.clusterId(ctx);
        String fetchingId = PathParams.fetchingId(ctx);
        auth.caller(ctx, clusterId, Scope.INGEST);
        Instant now = clock.instant();
        activity.seen(clusterId, now);
        List<RecordRow> rows = bodies.records(ctx, kind);
        snapshots.add(clusterId, fetchingId, rows, now);
        if (kind == RecordKind.OBJECTS) {
            metrics.objectsStored(rows.size());
        }
        ctx.status(204);
    }

    /** Protocol 1.1: a page of a delta's deletions ({@code 400} in a full fetching). */
    private void deletions(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        String fetchingId = PathParams.fetchingId(ctx);
        auth.caller(ctx, clusterId, Scope.INGEST);
        DeletionsPage page = bodies.read(ctx, DeletionsPage.class);
        if (page.deletions() == null) {
            throw ApiException.badRequest("The body has no \"" + Paths.DELETIONS + "\" array.");
        }
        snapshots.delete(clusterId, fetchingId, page.deletions(), clock.instant());
        ctx.status(204);
    }

    /** The body of a deletions page. */
    private record DeletionsPage(List<Deletion> deletions) {}

    private void commit(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        String fetchingId = PathParams.fetchingId(ctx);
        auth.caller(ctx, clusterId, Scope.INGEST);
        Instant now = clock.instant();
        activity.seen(clusterId, now);
        Commit commit;
        try {
            commit = bodies.read(ctx, Commit.class);
        } catch (ApiException e) {
            if (e.status() == 400) {
                // A malformed commit is refused for good: the collector stops its run on a 400.
                snapshots.close(clusterId, fetchingId, Refused.Reason.BAD_REQUEST);
            }
            throw e;
        }
        long started = System.nanoTime();
        Snapshots.Committed committed = snapshots.commit(clusterId, fetchingId, commit, now);
        metrics.commit(System.nanoTime() - started);
        if (committed == Snapshots.Committed.REPEATED) {
            // An answer lost and asked again: the collector is alive, but nothing new was committed.
            activity.seen(clusterId, now);
        } else {
            metrics.committed(committed.delta(), committed.heartbeat(), committed.deletions());
            activity.committed(clusterId, fetchingId, commit, now);
        }
        ctx.status(204);
    }

    /** Protocol 1.1: the collector's run failed; 204 also when repeated or for a committed fetching. */
    private void abort(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        String fetchingId = PathParams.fetchingId(ctx);
        auth.caller(ctx, clusterId, Scope.INGEST);
        Instant now = clock.instant();
        activity.seen(clusterId, now);
        snapshots.abort(clusterId, fetchingId, bodies.read(ctx, Abort.class), now);
        activity.aborted(clusterId, now);
        ctx.status(204);
    }
}
