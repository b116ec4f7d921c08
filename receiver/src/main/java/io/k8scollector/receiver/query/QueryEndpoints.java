package io.k8scollector.receiver.query;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.TreeNode;
import io.k8scollector.receiver.health.ClusterStatus;
import io.k8scollector.receiver.health.ClusterStatuses;
import io.k8scollector.receiver.keys.Caller;
import io.k8scollector.receiver.keys.Scope;
import io.k8scollector.receiver.server.ApiException;
import io.k8scollector.receiver.server.Authenticator;
import io.k8scollector.receiver.server.PathParams;
import io.k8scollector.receiver.store.RecordFilter;
import io.k8scollector.receiver.store.Inventory;
import io.k8scollector.receiver.store.Snapshots;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The read side: every answer comes from one committed snapshot of a cluster, the current one
 * unless {@code ?at=} names another (a continue token names its own), and every call needs a key
 * with the read scope.
 */
public final class QueryEndpoints {

    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 5000;
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .build();

    private final Authenticator auth;
    private final Snapshots snapshots;
    private final Inventory inventory;
    private final ClusterStatuses statuses;

    public QueryEndpoints(Authenticator auth, Snapshots snapshots, Inventory inventory, ClusterStatuses statuses) {
        this.auth = auth;
        this.snapshots = snapshots;
        this.inventory = inventory;
        this.statuses = statuses;
    }

    public void register(RoutesConfig routes) {
        routes.get("/v1/clusters", this::clusters);
        routes.get("/v1/clusters/{clusterId}/objects", this::objects);
        routes.get("/v1/clusters/{clusterId}/objects/{uid}", this::object);
        routes.get("/v1/clusters/{clusterId}/helm-releases", ctx -> records(ctx, RecordKind.HELM_RELEASES));
        routes.get("/v1/clusters/{clusterId}/types", ctx -> records(ctx, RecordKind.TYPES));
        routes.get("/v1/clusters/{clusterId}/trees/{uid}", this::tree);
        routes.get("/v1/clusters/{clusterId}/changes", this::changes);
        routes.get("/v1/clusters/{clusterId}/kinds", this::kinds);
    }

    private void clusters(Context ctx) {
        Caller caller = auth.caller(ctx, Scope.READ);
        int limit = limit(ctx);
        // One more than the page: whether there is a next one.
        List<ClusterStatus> visible = statuses.page(caller.clusters(), continueAfter(ctx), limit + 1);
        String next = visible.size() > limit ? encode(visible.get(limit - 1).id()) : null;
        Map<String, Object> page = new java.util.LinkedHashMap<>();
        page.put("items", visible.subList(0, Math.min(limit, visible.size())));
        page.put("continue", next);
        ctx.contentType("application/json").result(Json.MAPPER.writeValueAsBytes(page));
    }

    private void objects(Context ctx) {
        RecordFilter filter = new RecordFilter(ctx.queryParam("group"), blank(ctx.queryParam("version")),
                blank(ctx.queryParam("kind")), blank(ctx.queryParam("namespace")), blank(ctx.queryParam("name")),
                LabelsFilter.parse(ctx.queryParam("labelSelector")));
        list(ctx, RecordKind.OBJECTS, filter);
    }

    private void records(Context ctx, RecordKind kind) {
        list(ctx, kind, RecordFilter.ALL);
    }

    private void list(Context ctx, RecordKind kind, RecordFilter filter) {
        String clusterId = PathParams.clusterId(ctx);
        auth.caller(ctx, clusterId, Scope.READ);
        String[] pinned = continueToken(ctx);
        Inventory.Page page = inventory.list(clusterId, kind, filter, at(ctx), pinned == null ? null : pinned[0],
                pinned == null ? null : pinned[1], limit(ctx));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"items\":[".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < page.bodies().size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(page.bodies().get(i));
        }
        String next = page.continueAfter() == null ? "null"
                : "\"" + encode(page.snapshot().fetchingId() + "\n" + page.continueAfter()) + "\"";
        out.writeBytes(("],\"continue\":" + next + "}").getBytes(StandardCharsets.UTF_8));
        ctx.contentType("application/json").result(out.toByteArray());
    }

    private void object(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        auth.caller(ctx, clusterId, Scope.READ);
        String uid = ctx.pathParam("uid");
        byte[] body = inventory.object(clusterId, uid, at(ctx)).orElseThrow(() -> noObject(ctx, clusterId, uid));
        String accept = ctx.header("Accept");
        if ("yaml".equals(ctx.queryParam("format")) || (accept != null && accept.contains("yaml"))) {
            ctx.contentType("application/yaml").result(yaml(body));
        } else {
            ctx.contentType("application/json").result(body);
        }
    }

    /** An object's JSON body as the YAML the object route answers with {@code ?format=yaml}. */
    static String yaml(byte[] body) {
        return YAML.writeValueAsString(Json.MAPPER.readTree(body));
    }

    static ApiException noObject(Context ctx, String clusterId, String uid) {
        return ApiException.notFound("No object with uid " + uid + " in " + snapshotName(ctx) + " of cluster '" + clusterId
                + "'.");
    }

    private void tree(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        auth.caller(ctx, clusterId, Scope.READ);
        String uid = ctx.pathParam("uid");
        String at = at(ctx);
        Optional<byte[]> root = inventory.tree(clusterId, uid, at);
        if (root.isPresent()) {
            ctx.contentType("application/json").result(root.get());
            return;
        }
        AtomicReference<TreeNode> found = new AtomicReference<>();
        inventory.eachTree(clusterId, at, body -> {
            if (found.get() == null) {
                found.set(find(Json.MAPPER.readValue(body, TreeNode.class), uid));
            }
        });
        if (found.get() == null) {
            throw ApiException.notFound("No tree holds uid " + uid + " in " + snapshotName(ctx) + " of cluster '"
                    + clusterId + "'.");
        }
        ctx.json(found.get());
    }

    private static TreeNode find(TreeNode node, String uid) {
        if (uid.equals(node.uid())) {
            return node;
        }
        for (TreeNode child : node.children()) {
            TreeNode hit = find(child, uid);
            if (hit != null) {
                return hit;
            }
        }
        return null;
    }

    private void changes(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        auth.caller(ctx, clusterId, Scope.READ);
        String since = blank(ctx.queryParam("since"));
        String sinceTime = blank(ctx.queryParam("sinceTime"));
        if (since != null && sinceTime != null) {
            throw ApiException.badRequest("Give since (a fetchingId) or sinceTime (an RFC 3339 time), not both.");
        }
        if (since != null) {
            PathParams.fetchingId(since, "since");
        }
        if (sinceTime != null) {
            time(sinceTime, "sinceTime");
        }
        String to = blank(ctx.queryParam("to"));
        if (to != null) {
            PathParams.fetchingId(to, "to");
        }
        ctx.json(inventory.changes(clusterId, since != null ? since : sinceTime, to));
    }

    /** Object counts per kind, for the page: all of them on one page. */
    private void kinds(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        auth.caller(ctx, clusterId, Scope.READ);
        Map<String, Object> page = new java.util.LinkedHashMap<>();
        page.put("items", inventory.kinds(clusterId, at(ctx)));
        page.put("continue", null);
        ctx.contentType("application/json").result(Json.MAPPER.writeValueAsBytes(page));
    }

    static int limit(Context ctx) {
        String raw = ctx.queryParam("limit");
        if (raw == null || raw.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below, like any other bad limit
        }
        throw ApiException.badRequest("Invalid limit '" + raw + "': use a whole number from 1 to " + MAX_LIMIT + ".");
    }

    /** The key a page of a list in key order (such as {@code /v1/clusters}) continues after, or null. */
    static String continueAfter(Context ctx) {
        String token = blank(ctx.queryParam("continue"));
        return token == null ? null : decode(token);
    }

    /**
     * A record list's continue token: the fetchingId of the snapshot it reads (pinned: the next
     * pages read the same one) and the key to continue after; null without one.
     */
    private static String[] continueToken(Context ctx) {
        String token = blank(ctx.queryParam("continue"));
        if (token == null) {
            return null;
        }
        String[] parts = decode(token).split("\n", 2);
        if (parts.length != 2 || !FetchingId.isValid(parts[0])) {
            throw badToken();
        }
        return parts;
    }

    private static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw badToken();
        }
    }

    static ApiException badToken() {
        return ApiException.badRequest("Invalid continue token: pass the \"continue\" of the previous page as it is.");
    }

    /** The snapshot {@code ?at=} names (a fetchingId or an RFC 3339 time), null for the current one. */
    static String at(Context ctx) {
        String at = blank(ctx.queryParam("at"));
        if (at != null && !FetchingId.isValid(at)) {
            time(at, "at");
        }
        return at;
    }

    static void time(String value, String parameter) {
        try {
            Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest("Invalid " + parameter + " '" + value + "': use a fetchingId (24 lowercase hex"
                    + " characters) or an RFC 3339 time in UTC such as 2026-11-27T14:00:00Z.");
        }
    }

    private static String snapshotName(Context ctx) {
        String at = blank(ctx.queryParam("at"));
        return at == null ? "the current snapshot" : "the snapshot at " + at;
    }

    static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
