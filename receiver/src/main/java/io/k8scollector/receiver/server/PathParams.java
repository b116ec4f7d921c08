package io.k8scollector.receiver.server;

import io.javalin.http.Context;
import io.k8scollector.protocol.ClusterId;
import io.k8scollector.protocol.FetchingId;

/** The path parameters of the API, checked: 400 naming the bad value and what is allowed. */
public final class PathParams {

    private PathParams() {}

    public static String clusterId(Context ctx) {
        String id = ctx.pathParam("clusterId");
        if (!ClusterId.isValid(id)) {
            throw ApiException.badRequest("Invalid clusterId '" + id + "': use " + ClusterId.RULE + ".");
        }
        return id;
    }

    public static String fetchingId(Context ctx) {
        return fetchingId(ctx.pathParam("fetchingId"), "fetchingId");
    }

    /** Checks a fetching id found under {@code name} (a path parameter or a body field). */
    public static String fetchingId(String id, String name) {
        if (!FetchingId.isValid(id)) {
            throw ApiException.badRequest("Invalid " + name + " '" + id + "': use 24 lowercase hex characters.");
        }
        return id;
    }
}
