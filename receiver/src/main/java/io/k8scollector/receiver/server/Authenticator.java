package io.k8scollector.receiver.server;

import io.javalin.http.Context;
import io.k8scollector.protocol.ErrorBody;
import io.k8scollector.receiver.keys.AccessKeys;
import io.k8scollector.receiver.keys.Caller;
import java.time.Clock;

/** Resolves a request's bearer token: 401 without a live token, 403 for a cluster the key may not touch. */
public final class Authenticator {

    private final AccessKeys keys;
    private final Clock clock;

    public Authenticator(AccessKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** The caller, whatever the cluster. */
    public Caller caller(Context ctx) {
        String header = ctx.header("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        return keys.caller(token, clock.instant()).orElseThrow(() -> new ApiException(401, ErrorBody.UNAUTHORIZED,
                token == null ? "Missing bearer token: log in first." : "Unknown or expired token: log in again."));
    }

    /** The caller, when its key may touch {@code clusterId}. */
    public Caller caller(Context ctx, String clusterId) {
        Caller caller = caller(ctx);
        if (!caller.allows(clusterId)) {
            throw new ApiException(403, ErrorBody.FORBIDDEN,
                    "Access key " + caller.accessKey() + " is not allowed for cluster '" + clusterId + "'.");
        }
        return caller;
    }
}
