package io.k8scollector.testkit.server;

import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.Faults;
import io.k8scollector.testkit.store.ObjectStore;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admin API under {@code /testkit/}, for scripts that change the cluster between two collections
 * (documented in docs/testkit.md): upsert and delete objects (each a change that watches see), set and
 * clear faults, compact the watch history.
 */
final class AdminApi {

    private final ObjectStore store;
    private final Faults faults;

    AdminApi(ObjectStore store, Faults faults) {
        this.store = store;
        this.faults = faults;
    }

    void handle(Exchange exchange) throws IOException {
        String path = exchange.path();
        String method = exchange.method();
        try {
            if (path.equals("/testkit/objects") && method.equals("POST")) {
                upsert(exchange);
            } else if (path.startsWith("/testkit/objects/") && method.equals("DELETE")) {
                delete(exchange, path.substring("/testkit/objects/".length()).split("/"));
            } else if (path.equals("/testkit/faults") && method.equals("DELETE")) {
                faults.clear();
                exchange.noContent();
            } else if (path.startsWith("/testkit/faults/") && method.equals("POST")) {
                fault(exchange, path.substring("/testkit/faults/".length()));
            } else {
                exchange.status(Status.reasonFor(404, "no admin endpoint " + method + " " + path
                        + "; see docs/testkit.md"));
            }
        } catch (IllegalArgumentException e) {
            exchange.status(Status.reasonFor(400, e.getMessage()));
        }
    }

    private void upsert(Exchange exchange) throws IOException {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(exchange.body());
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the body is not JSON; send one Kubernetes object");
        }
        if (!(body instanceof ObjectNode object)) {
            throw new IllegalArgumentException("the body must be one JSON object (a Kubernetes object)");
        }
        store.put(object);
        exchange.noContent();
    }

    private void delete(Exchange exchange, String[] parts) throws IOException {
        if (parts.length != 4) {
            throw new IllegalArgumentException("use DELETE /testkit/objects/{group or core}/{resource}/"
                    + "{namespace or _}/{name}");
        }
        String group = parts[0].equals("core") ? "" : parts[0];
        String namespace = parts[2].equals("_") ? null : parts[2];
        if (store.delete(group, parts[1], namespace, parts[3])) {
            exchange.noContent();
        } else {
            exchange.status(Status.reasonFor(404, parts[1] + " \"" + parts[3] + "\" not found")
                    .about(parts[1], group, parts[3]));
        }
    }

    private void fault(Exchange exchange, String name) throws IOException {
        switch (name) {
            case "forbid" -> faults.forbid(required(exchange, "group"), required(exchange, "resource"));
            case "fail-discovery" -> faults.failDiscovery(required(exchange, "group"), required(exchange, "version"),
                    number(exchange, "status"));
            case "expire-continue" -> faults.expireContinueOnce(required(exchange, "group"),
                    required(exchange, "resource"));
            case "throttle" -> faults.throttleOnce(required(exchange, "group"), required(exchange, "resource"),
                    number(exchange, "retryAfterSeconds"));
            case "fail" -> faults.failOnce(required(exchange, "group"), required(exchange, "resource"),
                    number(exchange, "status"));
            case "break-off" -> faults.breakOffOnce(required(exchange, "group"), required(exchange, "resource"));
            case "compact" -> store.compact();
            case "drop-watches" -> faults.dropWatches();
            case "stall-watches" -> faults.stallWatches(required(exchange, "group"), required(exchange, "resource"),
                    Duration.ofSeconds(number(exchange, "seconds")));
            case "expired-watch-410" -> faults.answerExpiredWatchesWith410();
            case "refuse-reviews" -> faults.refuseAccessReviews(number(exchange, "status"));
            default -> throw new IllegalArgumentException("unknown fault \"" + name
                    + "\"; allowed: forbid, fail-discovery, expire-continue, throttle, fail, break-off, compact, "
                    + "drop-watches, stall-watches, expired-watch-410, refuse-reviews");
        }
        exchange.noContent();
    }

    private static String required(Exchange exchange, String param) {
        String value = exchange.param(param);
        if (value == null || (value.isEmpty() && !param.equals("group"))) {
            throw new IllegalArgumentException("query parameter " + param + " is required"
                    + (param.equals("group") ? " (empty for the core group)" : ""));
        }
        return value;
    }

    private static int number(Exchange exchange, String param) {
        String value = required(exchange, param);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("query parameter " + param + "=\"" + value
                    + "\" is not a whole number");
        }
    }
}
