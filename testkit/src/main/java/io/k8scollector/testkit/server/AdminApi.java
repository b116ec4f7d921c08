package io.k8scollector.testkit.server;

import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.Faults;
import io.k8scollector.testkit.catalog.TypeKey;
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
 * clear faults, compact the watch history, read what the server has served ({@link Traffic}).
 */
final class AdminApi {

    private final ObjectStore store;
    private final Faults faults;
    private final Traffic traffic;

    AdminApi(ObjectStore store, Faults faults, Traffic traffic) {
        this.store = store;
        this.faults = faults;
        this.traffic = traffic;
    }

    void handle(Exchange exchange) throws IOException {
        String path = exchange.path();
        String method = exchange.method();
        try {
            if (path.equals("/testkit/traffic") && method.equals("GET")) {
                exchange.json(200, traffic.toJson());
            } else if (path.equals("/testkit/objects") && method.equals("POST")) {
                upsert(exchange);
            } else if (path.startsWith("/testkit/raw-objects/") && method.equals("POST")) {
                upsertRaw(exchange, path.substring("/testkit/raw-objects/".length()).split("/"));
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

    /** Stores the body as it is, unparsed: for objects no JSON library would write (see docs/testkit.md). */
    private void upsertRaw(Exchange exchange, String[] parts) throws IOException {
        ObjectPath object = ObjectPath.of(parts, "POST /testkit/raw-objects/" + ObjectPath.SHAPE
                + "?uid=UID with the object's JSON without apiVersion and kind");
        store.putRaw(new TypeKey(object.group(), object.resource()), object.namespace(), object.name(),
                required(exchange, "uid"), exchange.body());
        exchange.noContent();
    }

    private void delete(Exchange exchange, String[] parts) throws IOException {
        ObjectPath object = ObjectPath.of(parts, "DELETE /testkit/objects/" + ObjectPath.SHAPE);
        if (store.delete(object.group(), object.resource(), object.namespace(), object.name())) {
            exchange.noContent();
        } else {
            exchange.status(Status.reasonFor(404, object.resource() + " \"" + object.name() + "\" not found")
                    .about(object.resource(), object.group(), object.name()));
        }
    }

    /** An object named by an admin path: {@code core} is the core group, {@code _} no namespace. */
    private record ObjectPath(String group, String resource, String namespace, String name) {

        static final String SHAPE = "{group or core}/{resource}/{namespace or _}/{name}";

        static ObjectPath of(String[] parts, String usage) {
            if (parts.length != 4) {
                throw new IllegalArgumentException("use " + usage);
            }
            return new ObjectPath(parts[0].equals("core") ? "" : parts[0], parts[1],
                    parts[2].equals("_") ? null : parts[2], parts[3]);
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
            case "fail-always" -> faults.failAlways(required(exchange, "group"), required(exchange, "resource"),
                    number(exchange, "status"));
            case "break-off" -> faults.breakOffOnce(required(exchange, "group"), required(exchange, "resource"));
            case "compact" -> store.compact();
            case "drop-watches" -> faults.dropWatches();
            case "stall-watches" -> faults.stallWatches(required(exchange, "group"), required(exchange, "resource"),
                    Duration.ofSeconds(number(exchange, "seconds")));
            case "expired-watch-410" -> faults.answerExpiredWatchesWith410();
            case "refuse-reviews" -> faults.refuseAccessReviews(number(exchange, "status"));
            case "refuse-metadata-lists" -> faults.refuseMetadataLists();
            default -> throw new IllegalArgumentException("unknown fault \"" + name
                    + "\"; allowed: forbid, fail-discovery, expire-continue, throttle, fail, fail-always, break-off, compact, "
                    + "drop-watches, stall-watches, expired-watch-410, refuse-reviews, refuse-metadata-lists");
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
