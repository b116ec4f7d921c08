package io.k8scollector.testkit.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.k8scollector.protocol.LabelSelector;
import io.k8scollector.testkit.Faults.ListFault;
import io.k8scollector.testkit.Faults;
import io.k8scollector.testkit.catalog.ApiResource;
import io.k8scollector.testkit.store.FieldSelector;
import io.k8scollector.testkit.store.ObjectStore;
import io.k8scollector.testkit.store.StoredObject;
import io.k8scollector.testkit.store.TypeStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the Kubernetes API paths: discovery, lists (of objects, or of their metadata only when the
 * {@code Accept} header asks for a {@code PartialObjectMetadataList}), watches, single GETs and access
 * reviews, with bearer-token authentication and the configured faults; {@code /testkit/} paths go to the admin API.
 */
final class ApiHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    /**
     * Pages up to this size are kept as one array ({@link ListPages}); larger ones (a whole list of
     * 100k pods is 390 MB) are written item by item as they are read.
     */
    private static final long LARGEST_CACHED_PAGE = 64L << 20;

    private final ObjectStore store;
    private final Faults faults;
    private final String authorization;
    private final Discovery discovery;
    private final AdminApi admin;
    private final WatchStream watches;
    private final AccessReviews reviews;
    private final ListPages pages = ListPages.sizedToHeap();
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Traffic traffic = new Traffic();

    ApiHandler(ObjectStore store, Faults faults, String token, String serverAddress, WatchLimits limits) {
        this.store = store;
        this.faults = faults;
        this.authorization = "Bearer " + token;
        this.discovery = new Discovery(store.catalog(), serverAddress);
        this.admin = new AdminApi(store, faults, traffic);
        this.watches = new WatchStream(store, faults, limits);
        this.reviews = new AccessReviews(faults);
    }

    Map<String, LongAdder> requests() {
        return requests;
    }

    Traffic traffic() {
        return traffic;
    }

    @Override
    public void handle(HttpExchange http) throws IOException {
        Exchange exchange = new Exchange(http, traffic);
        requests.computeIfAbsent(exchange.path(), p -> new LongAdder()).increment();
        boolean dropped = false;
        try {
            answer(exchange);
        } catch (WatchStream.DroppedConnection e) {
            // Left open, the exchange is not ended cleanly: the HTTP server closes its connection instead.
            dropped = true;
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Request {} {} failed", exchange.method(), exchange.path(), e);
            exchange.status(Status.reasonFor(500, "the test cluster failed: " + e.getClass().getSimpleName()));
        } finally {
            exchange.kind(Traffic.Kind.OTHER);
            if (!dropped) {
                http.close();
            }
        }
    }

    private void answer(Exchange exchange) throws IOException {
        if (!authorization.equals(exchange.header("Authorization"))) {
            exchange.status(Status.reasonFor(401, "Unauthorized"));
        } else if (exchange.path().startsWith("/testkit/")) {
            exchange.kind(Traffic.Kind.ADMIN);
            admin.handle(exchange);
        } else if (exchange.method().equals("POST") && exchange.path().equals(AccessReviews.PATH)) {
            exchange.kind(Traffic.Kind.REVIEW);
            reviews.answer(exchange);
        } else if (!exchange.method().equals("GET")) {
            exchange.status(Status.reasonFor(405, "the test cluster serves only GET on API paths, "
                    + "and POST of SelfSubjectAccessReviews; use /testkit/"));
        } else {
            route(exchange);
        }
    }

    private void route(Exchange exchange) throws IOException {
        String path = exchange.path();
        String[] parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        if (path.equals("/version")) {
            exchange.kind(Traffic.Kind.DISCOVERY);
            exchange.json(200, Discovery.version());
        } else if (parts.length == 1 && parts[0].equals("api")) {
            exchange.kind(Traffic.Kind.DISCOVERY);
            exchange.json(200, discovery.apiVersions());
        } else if (parts.length == 1 && parts[0].equals("apis")) {
            exchange.kind(Traffic.Kind.DISCOVERY);
            exchange.json(200, discovery.groupList());
        } else if (parts.length >= 2 && parts[0].equals("api") && parts[1].equals("v1")) {
            versioned(exchange, "", "v1", Arrays.copyOfRange(parts, 2, parts.length));
        } else if (parts.length == 2 && parts[0].equals("apis") && store.catalog().group(parts[1]).isPresent()) {
            exchange.kind(Traffic.Kind.DISCOVERY);
            exchange.json(200, discovery.group(parts[1]));
        } else if (parts.length >= 3 && parts[0].equals("apis")
                && store.catalog().group(parts[1]).filter(g -> g.versions().contains(parts[2])).isPresent()) {
            versioned(exchange, parts[1], parts[2], Arrays.copyOfRange(parts, 3, parts.length));
        } else {
            exchange.status(notFound());
        }
    }

    private void versioned(Exchange exchange, String group, String version, String[] rest) throws IOException {
        if (rest.length == 0) {
            exchange.kind(Traffic.Kind.DISCOVERY);
        }
        OptionalInt broken = faults.discoveryFailure(group, version);
        if (broken.isPresent()) {
            exchange.status(Status.reasonFor(broken.getAsInt(), "the server is currently unable to handle the request"));
            return;
        }
        if (rest.length == 0) {
            exchange.json(200, discovery.resourceList(group, version));
            return;
        }
        Optional<ResourcePath> parsed = ResourcePath.parse(group, version, rest);
        Optional<ApiResource> type = parsed.flatMap(p -> store.catalog().find(group, version, p.resource()));
        if (type.isEmpty() || (parsed.get().namespace() != null && !type.get().namespaced())) {
            exchange.status(notFound());
            return;
        }
        ResourcePath request = parsed.get();
        boolean watch = "true".equals(exchange.param("watch")) || "1".equals(exchange.param("watch"));
        String verb = request.name() != null ? "get" : watch ? "watch" : "list";
        exchange.kind(request.name() != null ? Traffic.Kind.GET : watch ? Traffic.Kind.WATCH : Traffic.Kind.LIST);
        if (faults.forbidden(type.get().key())) {
            exchange.status(forbidden(type.get(), request, verb));
            return;
        }
        if (!type.get().verbs().contains(verb)) {
            exchange.status(Status.reasonFor(405, "the server does not allow this method on the requested resource")
                    .about(request.resource(), group, request.name()));
            return;
        }
        OptionalInt watchFailure = faults.watchFailure(type.get().key());
        if (watch && request.name() == null && watchFailure.isPresent()) {
            exchange.status(Status.reasonFor(watchFailure.getAsInt(), "the watch failed (a fault asked for)"));
        } else if (watch && request.name() == null) {
            watches.serve(exchange, type.get(), request);
        } else if (request.name() == null) {
            list(exchange, type.get(), request);
        } else {
            get(exchange, type.get(), request);
        }
    }

    private void get(Exchange exchange, ApiResource type, ResourcePath request) throws IOException {
        Optional<StoredObject> object = store.type(type.key()).get(StoredObject.key(request.namespace(), request.name()));
        if (object.isEmpty() || (request.subresource() != null && !request.subresource().equals("status"))) {
            exchange.status(Status.reasonFor(404, request.resource() + " \"" + request.name() + "\" not found")
                    .about(request.resource(), type.group(), request.name()));
            return;
        }
        byte[] prefix = itemPrefix(type, request.version(), true);
        byte[] body = object.get().body();
        try (OutputStream out = exchange.streamJson(prefix.length + body.length - 1L)) {
            out.write(prefix);
            out.write(body, 1, body.length - 1);
        }
    }

    private void list(Exchange exchange, ApiResource type, ResourcePath request) throws IOException {
        String continueParam = exchange.param("continue");
        Optional<ListFault> fault = faults.takeListFault(type.key(), continueParam != null && !continueParam.isEmpty());
        if (fault.isPresent()) {
            exchange.status(listFault(fault.get(), type));
            return;
        }
        LabelSelector labels;
        FieldSelector fields;
        ContinueToken from;
        int limit;
        try {
            labels = LabelSelector.parse(exchange.param("labelSelector"));
            fields = FieldSelector.parse(exchange.param("fieldSelector"));
            from = continueParam == null || continueParam.isEmpty() ? null : ContinueToken.decode(continueParam);
            limit = limit(exchange.param("limit"));
        } catch (IllegalArgumentException e) {
            exchange.status(Status.reasonFor(400, e.getMessage()));
            return;
        }
        Optional<ListForm> form = ListForm.negotiate(exchange.header("Accept"), !faults.metadataListsRefused());
        if (form.isEmpty()) {
            exchange.status(Status.reasonFor(406, "only the following media types are accepted: application/json"));
            return;
        }
        boolean metadata = form.get() == ListForm.METADATA;
        boolean breakOff = faults.takeBreakOff(type.key());
        long revision = store.resourceVersion();
        ListPages.Request key = new ListPages.Request(type.key(), request.version(), request.namespace(),
                exchange.param("labelSelector"), exchange.param("fieldSelector"), limit, continueParam, form.get());
        Optional<byte[]> cached = breakOff ? Optional.empty() : pages.get(key, revision);
        if (cached.isPresent()) {
            exchange.json(200, cached.get());
            return;
        }
        boolean selecting = key.labelSelector() != null || key.fieldSelector() != null;
        Predicate<StoredObject> filter = selecting
                ? object -> labels.test(object.labels()) && fields.test(object)
                : null;
        long resourceVersion = from == null ? revision : from.resourceVersion();
        TypeStore.Page page = store.type(type.key())
                .page(request.namespace(), filter, from == null ? null : from.afterKey(), limit);
        StringBuilder head = new StringBuilder(160)
                .append("{\"kind\":\"").append(metadata ? ListForm.METADATA_LIST_KIND : type.listKind())
                .append("\",\"apiVersion\":\"")
                .append(metadata ? ListForm.METADATA_API_VERSION : type.apiVersion(request.version()))
                .append("\",\"metadata\":{\"resourceVersion\":\"").append(resourceVersion).append('"');
        if (page.remaining() > 0) {
            head.append(",\"continue\":\"").append(new ContinueToken(resourceVersion, page.lastKey()).encode())
                    .append('"');
            if (!selecting) {
                head.append(",\"remainingItemCount\":").append(page.remaining());
            }
        }
        head.append("},\"items\":[");
        ListBody body = new ListBody(head.toString().getBytes(StandardCharsets.UTF_8),
                metadata ? ListForm.metadataItemPrefix() : itemPrefix(type, request.version(), type.custom()),
                metadata ? ListForm.metadataOf(page.items()) : page.items());
        if (breakOff) {
            breakOff(exchange, body);
        } else if (body.length() > LARGEST_CACHED_PAGE) {
            try (OutputStream out = exchange.streamJson(body.length())) {
                body.writeTo(out, page.items().size());
            }
        } else {
            byte[] bytes = body.toBytes();
            pages.put(key, revision, bytes);
            exchange.json(200, bytes);
        }
    }

    /** Sends the headers, the list's head and half its items, then drops the connection. */
    private static void breakOff(Exchange exchange, ListBody body) throws IOException {
        int half = body.items().size() / 2;
        try (OutputStream out = exchange.streamJson(body.length())) {
            body.writeTo(out, half);
            out.flush();
            throw new IOException("fault: the list response breaks off after " + half + " items");
        }
    }

    /** What goes before an item's body after its opening brace: its type, when the item carries one. */
    private static byte[] itemPrefix(ApiResource type, String version, boolean typed) {
        return typed ? ListBody.typedItemPrefix(type.kind(), type.apiVersion(version)) : new byte[] {'{'};
    }

    private static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit \"" + value + "\" is not a whole number; allowed: 0 or more");
        }
    }

    private static Status listFault(ListFault fault, ApiResource type) {
        return switch (fault.status()) {
            case 410 -> Status.reasonFor(410, "The provided continue parameter is too old to display a consistent "
                    + "list result. You can start a new list without the continue parameter, or use the continue "
                    + "token in this response to retrieve the remainder of the results.");
            case 429 -> Status.reasonFor(429, "Too many requests, please try again later.")
                    .about(type.name(), type.group(), null).retryAfter(fault.retryAfterSeconds());
            default -> Status.reasonFor(fault.status(), "Internal error occurred: the test cluster was told to fail "
                    + type.key()).about(type.name(), type.group(), null).retryAfter(fault.retryAfterSeconds());
        };
    }

    private static Status forbidden(ApiResource type, ResourcePath request, String verb) {
        String scope = request.namespace() == null
                ? "at the cluster scope"
                : "in the namespace \"" + request.namespace() + "\"";
        String what = request.name() == null ? type.name() : type.name() + " \"" + request.name() + "\"";
        return Status.reasonFor(403, what + " is forbidden: User \"system:serviceaccount:default:k8s-collector\" "
                + "cannot " + verb + " resource \"" + type.name() + "\" in API group \"" + type.group() + "\" " + scope)
                .about(type.name(), type.group(), request.name());
    }

    private static Status notFound() {
        return Status.reasonFor(404, "the server could not find the requested resource");
    }
}
