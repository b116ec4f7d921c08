package io.k8scollector.receiver.ingest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.LoginRequest;
import io.k8scollector.protocol.LoginResponse;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.keys.AccessKeys;
import io.k8scollector.receiver.server.ApiException;
import io.k8scollector.receiver.server.Authenticator;
import io.k8scollector.receiver.server.PathParams;
import io.k8scollector.receiver.server.ReceiverMetrics;
import io.k8scollector.receiver.store.RecordRow;
import io.k8scollector.receiver.store.Snapshots;
import io.k8scollector.protocol.ErrorBody;
import java.time.Clock;
import java.util.List;

/** The protocol's requests: login, start, a page of each record kind, commit. */
public final class IngestEndpoints {

    private final AccessKeys keys;
    private final Authenticator auth;
    private final Snapshots snapshots;
    private final BodyReader bodies;
    private final ReceiverMetrics metrics;
    private final Clock clock;

    public IngestEndpoints(AccessKeys keys, Authenticator auth, Snapshots snapshots, BodyReader bodies,
            ReceiverMetrics metrics, Clock clock) {
        this.keys = keys;
        this.auth = auth;
        this.snapshots = snapshots;
        this.bodies = bodies;
        this.metrics = metrics;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.post(Paths.LOGIN, this::login);
        routes.post(Paths.fetchings("{clusterId}"), this::start);
        for (RecordKind kind : RecordKind.values()) {
            routes.post(Paths.records("{clusterId}", "{fetchingId}", kind), ctx -> page(ctx, kind));
        }
        routes.post(Paths.commit("{clusterId}", "{fetchingId}"), this::commit);
    }

    private void login(Context ctx) {
        LoginRequest login = bodies.read(ctx, LoginRequest.class);
        String token = keys.login(login.accessKey(), login.secretKey(), clock.instant())
                .orElseThrow(() -> new ApiException(401, ErrorBody.UNAUTHORIZED, "Unknown access key or wrong secret key."));
        ctx.json(new LoginResponse(token, AccessKeys.TOKEN_LIFETIME.toSeconds(), "Bearer"));
    }

    private void start(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        auth.caller(ctx, clusterId);
        FetchingStart start = bodies.read(ctx, FetchingStart.class);
        PathParams.fetchingId(start.fetchingId(), "fetchingId");
        if (start.clusterUniqueId() == null || start.clusterUniqueId().isBlank()) {
            throw ApiException.badRequest("clusterUniqueId is missing: send the kube-system Namespace's metadata.uid.");
        }
        snapshots.start(clusterId, start, clock.instant());
        ctx.status(204);
    }

    private void page(Context ctx, RecordKind kind) {
        String clusterId = PathParams.clusterId(ctx);
        String fetchingId = PathParams.fetchingId(ctx);
        auth.caller(ctx, clusterId);
        List<RecordRow> rows = bodies.records(ctx, kind);
        snapshots.add(clusterId, fetchingId, rows, clock.instant());
        if (kind == RecordKind.OBJECTS) {
            metrics.objectsStored(rows.size());
        }
        ctx.status(204);
    }

    private void commit(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        String fetchingId = PathParams.fetchingId(ctx);
        auth.caller(ctx, clusterId);
        Commit commit = bodies.read(ctx, Commit.class);
        long started = System.nanoTime();
        snapshots.commit(clusterId, fetchingId, commit, clock.instant());
        metrics.commit(System.nanoTime() - started);
        ctx.status(204);
    }
}
