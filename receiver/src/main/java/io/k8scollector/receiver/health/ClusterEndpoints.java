package io.k8scollector.receiver.health;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.k8scollector.protocol.Json;
import io.k8scollector.receiver.keys.Scope;
import io.k8scollector.receiver.server.ApiException;
import io.k8scollector.receiver.server.Authenticator;
import io.k8scollector.receiver.server.PathParams;

/** {@code GET /v1/clusters/{id}}: one cluster's {@link ClusterStatus}, for a key with the read scope that may see it. */
public final class ClusterEndpoints {

    private final Authenticator auth;
    private final ClusterStatuses statuses;

    public ClusterEndpoints(Authenticator auth, ClusterStatuses statuses) {
        this.auth = auth;
        this.statuses = statuses;
    }

    public void register(RoutesConfig routes) {
        routes.get("/v1/clusters/{clusterId}", this::cluster);
    }

    private void cluster(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        auth.caller(ctx, clusterId, Scope.READ);
        ClusterStatus status = statuses.of(clusterId)
                .orElseThrow(() -> ApiException.notFound("Unknown cluster '" + clusterId + "'."));
        ctx.contentType("application/json").result(Json.MAPPER.writeValueAsBytes(status));
    }
}
