package io.k8scollector.testkit.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.ErrorBody;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.LoginRequest;
import io.k8scollector.protocol.LoginResponse;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKey;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.StartAnswer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;

/**
 * An ingest endpoint for tests, on the JDK's HttpServer, that speaks the protocol faithfully
 * enough to judge a sink: it logs in, binds cluster ids, decodes bodies by their
 * {@code Content-Encoding}, refuses bodies over its limit, stores records by the protocol's keys,
 * and checks a commit's counts against what it holds. It records every accepted page and counts
 * requests per route, and injects faults in the order they were queued. The receiver's ingest
 * contract tests run against it as well as against the receiver (receiver test
 * {@code IngestContract}), so that it cannot drift from the protocol.
 */
public final class IngestEndpoint implements AutoCloseable {

    public static final String ACCESS_KEY = "AKIA-TEST-ACCESS";
    public static final String SECRET_KEY = "secret-do-not-log-42";
    /** The status of a {@link #fault} whose request is handled but whose answer never leaves: a lost answer. */
    public static final int ANSWER_LOST = -1;

    private static final Pattern FETCHING = Pattern.compile("/v1/clusters/([^/]+)/fetchings(?:/([0-9a-f]{24})/([a-z-]+))?");

    /** A page the endpoint accepted, as it arrived. */
    public record Page(String kind, String encoding, long plainSize, List<String> keys, String userAgent) {}

    /**
     * A fault: the next request whose path ends with {@code pathSuffix} gets {@code status} (0:
     * connection reset; {@link #ANSWER_LOST}: handled as usual, then the connection reset instead of the answer).
     */
    record Fault(String pathSuffix, int status, Map<String, String> headers) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Deque<Fault> faults = new ConcurrentLinkedDeque<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Map<String, String> bindings = new ConcurrentHashMap<>();
    private final Map<String, Fetching> fetchings = new ConcurrentHashMap<>();
    private final Map<String, ClusterSnapshot> current = new ConcurrentHashMap<>();
    private final AtomicInteger heartbeats = new AtomicInteger();
    private final AtomicInteger fullCommits = new AtomicInteger();
    private final List<Page> pages = Collections.synchronizedList(new ArrayList<>());
    private final List<JsonNode> commits = Collections.synchronizedList(new ArrayList<>());
    private final List<JsonNode> aborts = Collections.synchronizedList(new ArrayList<>());
    private final List<byte[]> bodies = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> committed = ConcurrentHashMap.newKeySet();
    private final Set<String> fullStarts = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile int bodyLimit = 64 * 1024 * 1024;
    private volatile int expireTokensAfterPages = -1;
    private volatile boolean tokensRefused;
    private volatile boolean forgetRecords;
    private volatile boolean abortRoute = true;
    private volatile boolean protocol10;
    private volatile boolean declineDeltas;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    /** Set while a request whose answer is to be lost is handled. */
    private final ThreadLocal<Boolean> losing = ThreadLocal.withInitial(() -> false);
    private final CountDownLatch pageAtGate = new CountDownLatch(1);

    public IngestEndpoint() throws IOException {
        this(null);
    }

    /** An endpoint over https with {@code tls}, or plain http when it is null. */
    public IngestEndpoint(SSLContext tls) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        if (tls == null) {
            server = HttpServer.create(loopback, 0);
        } else {
            HttpsServer https = HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public URI uri() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://localhost:" + server.getAddress().getPort());
    }

    /** Refuses, with 413, bodies larger than {@code bytes} once decompressed. */
    public IngestEndpoint bodyLimit(int bytes) {
        this.bodyLimit = bytes;
        return this;
    }

    /** Every token stops being valid once {@code n} pages were accepted (an expiry in mid-run). */
    public IngestEndpoint expireTokensAfterPages(int n) {
        this.expireTokensAfterPages = n;
        return this;
    }

    /** Logins succeed, but their tokens are never accepted. */
    public IngestEndpoint refuseTokens() {
        this.tokensRefused = true;
        return this;
    }

    /** Pages are answered 204 but their records are not kept (so that a commit falls short). */
    public IngestEndpoint forgetRecords() {
        this.forgetRecords = true;
        return this;
    }

    /** Speaks protocol 1.0: the abort route is an unknown path (404). */
    public IngestEndpoint withoutAbortRoute() {
        this.abortRoute = false;
        return this;
    }

    /**
     * Speaks protocol 1.0 from now on ({@code true}) or 1.1 again: every start is answered
     * {@code 204} and is a full fetching, and the 1.1 routes ({@code deletions}, {@code abort})
     * are unknown paths (404).
     */
    public IngestEndpoint protocol10(boolean on) {
        this.protocol10 = on;
        this.abortRoute = !on;
        return this;
    }

    /** Answers every later 1.1 start {@code "mode": "full"}, declining deltas ({@code false}: accepts them again). */
    public IngestEndpoint declineDeltas(boolean on) {
        this.declineDeltas = on;
        return this;
    }

    /** The cluster's current snapshot: the last fetching committed, full or delta; null before any. */
    public ClusterSnapshot current(String clusterId) {
        return current.get(clusterId);
    }

    /** Deltas committed with nothing in them (protocol 1.1 heartbeats). */
    public int heartbeats() {
        return heartbeats.get();
    }

    /** Full fetchings committed (every commit of a fetching without a base). */
    public int fullCommits() {
        return fullCommits.get();
    }

    /** Full fetchings started (distinct fetchingIds whose start named no base), committed or not. */
    public int fullStarts() {
        return fullStarts.size();
    }

    /** Whether a page reached the gate of {@link #holdPagesUntil} within {@code timeout}. */
    public boolean awaitHeldPage(Duration timeout) throws InterruptedException {
        return pageAtGate.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Pages wait for {@code open} before they are answered. */
    public IngestEndpoint holdPagesUntil(CountDownLatch open) {
        this.gate = open;
        return this;
    }

    public IngestEndpoint bind(String clusterId, String clusterUniqueId) {
        bindings.put(clusterId, clusterUniqueId);
        return this;
    }

    public IngestEndpoint fault(String pathSuffix, int status, Map<String, String> headers) {
        faults.add(new Fault(pathSuffix, status, headers));
        return this;
    }

    /** Requests received for a route: {@code login}, {@code start}, {@code objects}, {@code commit}... */
    public int requests(String route) {
        AtomicInteger n = requests.get(route);
        return n == null ? 0 : n.get();
    }

    public List<Page> pages() {
        synchronized (pages) {
            return List.copyOf(pages);
        }
    }

    /** Every request body that arrived, decompressed, logins included. */
    public List<byte[]> bodies() {
        synchronized (bodies) {
            return List.copyOf(bodies);
        }
    }

    /** The aborts accepted (protocol 1.1), as they arrived. */
    public List<JsonNode> aborts() {
        synchronized (aborts) {
            return List.copyOf(aborts);
        }
    }

    public List<JsonNode> commits() {
        synchronized (commits) {
            return List.copyOf(commits);
        }
    }

    /** The keys ({@link RecordKey#value()}) of the distinct records held for a fetching, of {@code kind}. */
    public Set<String> stored(String fetchingId, RecordKind kind) {
        Fetching fetching = fetchings.get(fetchingId);
        return fetching == null ? Set.of() : Set.copyOf(fetching.sent.get(kind).keySet());
    }

    /** The uids of the objects held for a fetching (those keyed by uid). */
    public Set<String> uids(String fetchingId) {
        Set<String> uids = new HashSet<>();
        for (String key : stored(fetchingId, RecordKind.OBJECTS)) {
            if (key.startsWith("u:")) {
                uids.add(key.substring(2));
            }
        }
        return uids;
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public void close() {
        gate.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String route = route(path);
            requests.computeIfAbsent(route, r -> new AtomicInteger()).incrementAndGet();
            Fault fault = nextFault(path);
            if (fault != null && fault.status() == 0) {
                inFlight.decrementAndGet();
                throw new IOException("injected connection reset");
            }
            losing.set(fault != null && fault.status() == ANSWER_LOST);
            if (fault != null && fault.status() != ANSWER_LOST) {
                fault.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
                error(exchange, fault.status(), "injected", "injected fault");
                return;
            }
            byte[] body = decode(exchange);
            if (body == null) {
                return;
            }
            bodies.add(body);
            if (route.equals("login")) {
                login(exchange, body);
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (tokensRefused || auth == null || !auth.startsWith("Bearer ") || !tokens.contains(auth.substring(7))) {
                error(exchange, 401, ErrorBody.UNAUTHORIZED, "missing, unknown or expired token");
                return;
            }
            Matcher m = FETCHING.matcher(path);
            if (!m.matches()) {
                error(exchange, 404, ErrorBody.NOT_FOUND, "no such path");
                return;
            }
            JsonNode json = Json.MAPPER.readTree(body);
            if (m.group(2) == null) {
                start(exchange, m.group(1), json);
            } else if (m.group(3).equals("commit")) {
                commit(exchange, m.group(2), json);
            } else if (m.group(3).equals("abort")) {
                abort(exchange, m.group(2), json);
            } else if (m.group(3).equals(Paths.DELETIONS)) {
                deletions(exchange, m.group(2), json);
            } else {
                page(exchange, m.group(2), json, body.length);
            }
        }
    }

    private static String route(String path) {
        if (path.endsWith("/login")) {
            return "login";
        }
        if (path.endsWith("/fetchings")) {
            return "start";
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private Fault nextFault(String path) {
        synchronized (faults) {
            for (Fault fault : faults) {
                if (path.endsWith(fault.pathSuffix())) {
                    faults.remove(fault);
                    return fault;
                }
            }
            return null;
        }
    }

    private byte[] decode(HttpExchange exchange) throws IOException {
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        byte[] raw = exchange.getRequestBody().readAllBytes();
        if (encoding == null || encoding.equals("identity")) {
            return within(exchange, new ByteArrayInputStream(raw));
        }
        if (encoding.equals("gzip")) {
            return within(exchange, new GZIPInputStream(new ByteArrayInputStream(raw)));
        }
        error(exchange, 415, ErrorBody.UNSUPPORTED_ENCODING, "unsupported Content-Encoding");
        return null;
    }

    private byte[] within(HttpExchange exchange, InputStream in) throws IOException {
        byte[] body = in.readNBytes(bodyLimit + 1);
        if (body.length > bodyLimit) {
            error(exchange, 413, ErrorBody.TOO_LARGE, "body over " + bodyLimit + " bytes");
            return null;
        }
        return body;
    }

    private void login(HttpExchange exchange, byte[] body) throws IOException {
        LoginRequest request = Json.MAPPER.readValue(body, LoginRequest.class);
        if (!ACCESS_KEY.equals(request.accessKey()) || !SECRET_KEY.equals(request.secretKey())) {
            error(exchange, 401, ErrorBody.UNAUTHORIZED, "unknown access key or wrong secret");
            return;
        }
        String token = "tok-" + UUID.randomUUID();
        tokens.add(token);
        byte[] answer = Json.MAPPER.writeValueAsBytes(new LoginResponse(token, 3600, "Bearer"));
        answer(exchange, 200, answer);
    }

    private void start(HttpExchange exchange, String clusterId, JsonNode json) throws IOException {
        FetchingStart start = Json.MAPPER.treeToValue(json, FetchingStart.class);
        String bound = bindings.putIfAbsent(clusterId, start.clusterUniqueId());
        if (bound != null && !bound.equals(start.clusterUniqueId())) {
            if (!start.overrideUniqueClusterId()) {
                error(exchange, 409, ErrorBody.CLUSTER_CONFLICT, "cluster id bound to another cluster");
                return;
            }
            bindings.put(clusterId, start.clusterUniqueId());
        }
        if (start.base() == null) {
            fullStarts.add(start.fetchingId());
        }
        if (!start.speaks11() || protocol10) {
            fetchings.computeIfAbsent(start.fetchingId(), id -> new Fetching(clusterId, null));
            answer(exchange, 204, null);
            return;
        }
        ClusterSnapshot now = current.get(clusterId);
        String base = start.base();
        if (base != null && !declineDeltas && (now == null || !now.fetchingId().equals(base))
                && !fetchings.containsKey(start.fetchingId())) {
            baseMismatch(exchange, now);
            return;
        }
        Fetching fetching = fetchings.computeIfAbsent(start.fetchingId(),
                id -> new Fetching(clusterId, base == null || declineDeltas ? null : base));
        StartAnswer said = fetching.base == null ? StartAnswer.full() : StartAnswer.delta(fetching.base);
        answer(exchange, 200, Json.MAPPER.writeValueAsBytes(said));
    }

    private void baseMismatch(HttpExchange exchange, ClusterSnapshot now) throws IOException {
        byte[] answer = Json.MAPPER.writeValueAsBytes(new ErrorBody(ErrorBody.BASE_MISMATCH,
                "the base is not the cluster's current snapshot", now == null ? null : now.fetchingId()));
        answer(exchange, 409, answer);
    }

    /** A deletions page (protocol 1.1): only in a delta; each entry keyed by its record kind's key. */
    private void deletions(HttpExchange exchange, String fetchingId, JsonNode json) throws IOException {
        Fetching fetching = fetchings.get(fetchingId);
        if (protocol10) {
            error(exchange, 404, ErrorBody.NOT_FOUND, "no such path");
            return;
        }
        if (fetching == null) {
            error(exchange, 404, ErrorBody.NOT_FOUND, "unknown fetching");
            return;
        }
        if (fetching.base == null) {
            error(exchange, 400, ErrorBody.BAD_REQUEST, "a deletions page in a full fetching");
            return;
        }
        if (committed.contains(fetchingId)) {
            error(exchange, 409, ErrorBody.FETCHING_COMMITTED, "fetching already committed");
            return;
        }
        List<String> keys = new ArrayList<>();
        for (JsonNode entry : json.path(Paths.DELETIONS)) {
            keys.add(Json.MAPPER.treeToValue(entry, Deletion.class).key().value());
        }
        fetching.deletions.addAll(keys);
        pages.add(new Page(Paths.DELETIONS, exchange.getRequestHeaders().getFirst("Content-Encoding"), 0, keys,
                exchange.getRequestHeaders().getFirst("User-Agent")));
        answer(exchange, 204, null);
    }

    private void page(HttpExchange exchange, String fetchingId, JsonNode json, long plainSize) throws IOException {
        pageAtGate.countDown();
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while held", e);
        }
        if (committed.contains(fetchingId)) {
            error(exchange, 409, ErrorBody.FETCHING_COMMITTED, "fetching already committed");
            return;
        }
        Fetching fetching = fetchings.get(fetchingId);
        if (fetching == null) {
            error(exchange, 404, ErrorBody.NOT_FOUND, "unknown fetching");
            return;
        }
        String field = json.propertyNames().iterator().next();
        RecordKind kind = kindOf(field);
        List<String> keys = new ArrayList<>();
        Map<String, JsonNode> records = new LinkedHashMap<>();
        for (JsonNode record : json.get(field)) {
            String key = key(field, record);
            keys.add(key);
            records.put(key, record);
        }
        if (!forgetRecords) {
            synchronized (fetching) {
                fetching.sent.get(kind).putAll(records);
            }
        }
        pages.add(new Page(field, exchange.getRequestHeaders().getFirst("Content-Encoding"), plainSize, keys,
                exchange.getRequestHeaders().getFirst("User-Agent")));
        if (pages.size() == expireTokensAfterPages) {
            tokens.clear();
        }
        answer(exchange, 204, null);
    }

    /** The record's {@link RecordKey}, the rule the receiver stores by. */
    private static String key(String field, JsonNode record) {
        JsonNode metadata = record.path("metadata");
        RecordKey key = switch (field) {
            case "objects" -> RecordKey.object(text(metadata, "uid"), text(record, "apiVersion"), text(record, "kind"),
                    text(metadata, "namespace"), text(metadata, "name"));
            case "helmReleases" -> RecordKey.helmRelease(text(record, "source"), text(record, "namespace"),
                    text(record, "name"));
            case "types" -> RecordKey.type(text(record, "group"), text(record, "resource"));
            default -> RecordKey.tree(text(record, "uid"));
        };
        return key.value();
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).asString(null);
    }

    /**
     * Checks the counts against what is held (deletions too), then makes the cluster's new
     * snapshot: a full fetching's records with the previous snapshot's skipped ones carried over,
     * or a delta applied to its base, which must still be current ({@code 409 base_mismatch}).
     * A key both sent and deleted in a delta, or {@code completeTypes} in a full fetching, is 400.
     */
    private void commit(HttpExchange exchange, String fetchingId, JsonNode json) throws IOException {
        Fetching fetching = fetchings.get(fetchingId);
        if (fetching == null) {
            error(exchange, 404, ErrorBody.NOT_FOUND, "unknown fetching");
            return;
        }
        if (committed.contains(fetchingId)) {
            answer(exchange, 204, null);
            return;
        }
        synchronized (fetching) {
            StringBuilder shortfall = new StringBuilder();
            for (RecordKind kind : RecordKind.values()) {
                long counted = json.path("counts").path(kind.field()).asLong(0);
                int have = fetching.sent.get(kind).size();
                if (have < counted) {
                    shortfall.append(kind.field()).append(": ").append(counted - have).append(" missing; ");
                }
            }
            long deletionsCounted = json.path("counts").path(Paths.DELETIONS).asLong(0);
            if (fetching.deletions.size() < deletionsCounted) {
                shortfall.append("deletions: ").append(deletionsCounted - fetching.deletions.size()).append(" missing; ");
            }
            if (shortfall.length() > 0) {
                error(exchange, 409, ErrorBody.INCOMPLETE, shortfall.toString().trim());
                return;
            }
            List<JsonNode> completeTypes = new ArrayList<>();
            json.path("completeTypes").forEach(completeTypes::add);
            List<JsonNode> skipped = null;
            if (json.has("skipped") && !json.get("skipped").isNull()) {
                skipped = new ArrayList<>();
                json.get("skipped").forEach(skipped::add);
            }
            ClusterSnapshot now = current.get(fetching.clusterId);
            ClusterSnapshot next;
            if (fetching.base == null) {
                if (!completeTypes.isEmpty()) {
                    error(exchange, 400, ErrorBody.BAD_REQUEST, "completeTypes in a full fetching");
                    return;
                }
                next = ClusterSnapshot.full(fetchingId, fetching.sent, skipped == null ? List.of() : skipped, now);
                fullCommits.incrementAndGet();
            } else {
                for (Map<String, JsonNode> byKey : fetching.sent.values()) {
                    if (byKey.keySet().stream().anyMatch(fetching.deletions::contains)) {
                        error(exchange, 400, ErrorBody.BAD_REQUEST, "a key both sent and deleted in one delta");
                        return;
                    }
                }
                if (now == null || !now.fetchingId().equals(fetching.base)) {
                    baseMismatch(exchange, now);
                    return;
                }
                next = now.delta(fetchingId, fetching.sent, fetching.deletions, completeTypes, skipped);
                if (json.path("counts").propertyNames().stream().allMatch(name -> json.path("counts").path(name).asLong(0) == 0)
                        && skipped == null && completeTypes.isEmpty()) {
                    heartbeats.incrementAndGet();
                }
            }
            current.put(fetching.clusterId, next);
            committed.add(fetchingId);
            commits.add(json);
        }
        answer(exchange, 204, null);
    }

    private static RecordKind kindOf(String field) {
        for (RecordKind kind : RecordKind.values()) {
            if (kind.field().equals(field)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no record kind has the field " + field);
    }

    /** One started fetching: its cluster, its base (null: full), what it was sent. */
    private static final class Fetching {
        final String clusterId;
        final String base;
        final Map<RecordKind, Map<String, JsonNode>> sent = ClusterSnapshot.empty();
        final Set<String> deletions = ConcurrentHashMap.newKeySet();

        Fetching(String clusterId, String base) {
            this.clusterId = clusterId;
            this.base = base;
        }
    }

    /** 204 for a started fetching, also when repeated; 404 for one never started. */
    private void abort(HttpExchange exchange, String fetchingId, JsonNode json) throws IOException {
        if (!abortRoute) {
            error(exchange, 404, ErrorBody.NOT_FOUND, "no such path");
            return;
        }
        if (!fetchings.containsKey(fetchingId)) {
            error(exchange, 404, ErrorBody.NOT_FOUND, "unknown fetching");
            return;
        }
        aborts.add(json);
        answer(exchange, 204, null);
    }

    private void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        byte[] answer = Json.MAPPER.writeValueAsBytes(new ErrorBody(code, message));
        answer(exchange, status, answer);
    }

    /** Every answer goes out here, so that a request stops counting as in flight before its answer can arrive. */
    private void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        inFlight.decrementAndGet();
        if (losing.get()) {
            losing.set(false);
            throw new IOException("injected: the answer is lost");
        }
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
