package io.k8scollector.receiver.query;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.TreeNode;
import io.k8scollector.receiver.keys.Caller;
import io.k8scollector.receiver.keys.Scope;
import io.k8scollector.receiver.server.ApiException;
import io.k8scollector.receiver.server.Authenticator;
import io.k8scollector.receiver.server.PathParams;
import io.k8scollector.receiver.store.ClusterView;
import io.k8scollector.receiver.store.RecordFilter;
import io.k8scollector.receiver.store.RecordPage;
import io.k8scollector.receiver.store.Snapshots;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The read side: every answer comes from a cluster's current (committed) snapshot, and every
 * call needs a key with the read scope.
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

    public QueryEndpoints(Authenticator auth, Snapshots snapshots) {
        this.auth = auth;
        this.snapshots = snapshots;
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
        String after = continueAfter(ctx);
        List<ClusterView> visible = new ArrayList<>();
        String next = null;
        for (ClusterView cluster : snapshots.clusters()) {
            if (caller.allows(cluster.id()) && (after == null || cluster.id().compareTo(after) > 0)) {
                if (visible.size() == limit) {
                    next = visible.get(limit - 1).id();
                    break;
                }
                visible.add(cluster);
            }
        }
        Map<String, Object> page = new java.util.LinkedHashMap<>();
        page.put("items", visible);
        page.put("continue", next == null ? null : encode(next));
        ctx.contentType("application/json").result(Json.MAPPER.writeValueAsBytes(page));
    }

    private void objects(Context ctx) {
        RecordFilter filter = new RecordFilter(ctx.queryParam("group"), blank(ctx.queryParam("version")),
                blank(ctx.queryParam("kind")), blank(ctx.queryParam("namespace")), blank(ctx.queryParam("name")),
                LabelSelector.parse(ctx.queryParam("labelSelector")));
        list(ctx, RecordKind.OBJECTS, filter);
    }

    private void records(Context ctx, RecordKind kind) {
        list(ctx, kind, RecordFilter.ALL);
    }

    private void list(Context ctx, RecordKind kind, RecordFilter filter) {
        String clusterId = PathParams.clusterId(ctx);
        auth.caller(ctx, clusterId, Scope.READ);
        RecordPage page = snapshots.list(clusterId, kind, filter, continueAfter(ctx), limit(ctx));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"items\":[".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < page.bodies().size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(page.bodies().get(i));
        }
        String next = page.continueAfter() == null ? "null" : "\"" + encode(page.continueAfter()) + "\"";
        out.writeBytes(("],\"continue\":" + next + "}").getBytes(StandardCharsets.UTF_8));
        ctx.contentType("application/json").result(out.toByteArray());
    }

    private void object(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        auth.caller(ctx, clusterId, Scope.READ);
        String uid = ctx.pathParam("uid");
        byte[] body = snapshots.object(clusterId, uid).orElseThrow(() -> noObject(clusterId, uid));
        String accept = ctx.header("Accept");
        if ("yaml".equals(ctx.queryParam("format")) || (accept != null && accept.contains("yaml"))) {
            ctx.contentType("application/yaml").result(YAML.writeValueAsString(Json.MAPPER.readTree(body)));
        } else {
            ctx.contentType("application/json").result(body);
        }
    }

    static ApiException noObject(String clusterId, String uid) {
        return ApiException.notFound("No object with uid " + uid + " in the current snapshot of cluster '" + clusterId + "'.");
    }

    private void tree(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        auth.caller(ctx, clusterId, Scope.READ);
        String uid = ctx.pathParam("uid");
        Optional<byte[]> root = snapshots.tree(clusterId, uid);
        if (root.isPresent()) {
            ctx.contentType("application/json").result(root.get());
            return;
        }
        AtomicReference<TreeNode> found = new AtomicReference<>();
        snapshots.eachTree(clusterId, body -> {
            if (found.get() == null) {
                found.set(find(Json.MAPPER.readValue(body, TreeNode.class), uid));
            }
        });
        if (found.get() == null) {
            throw ApiException.notFound("No tree holds uid " + uid + " in the current snapshot of cluster '" + clusterId + "'.");
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
        if (since != null) {
            PathParams.fetchingId(since, "since");
        }
        ctx.json(snapshots.changes(clusterId, since));
    }

    /** Object counts per kind, for the page: all of them on one page. */
    private void kinds(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        auth.caller(ctx, clusterId, Scope.READ);
        Map<String, Object> page = new java.util.LinkedHashMap<>();
        page.put("items", snapshots.kinds(clusterId));
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

    static String continueAfter(Context ctx) {
        String token = blank(ctx.queryParam("continue"));
        if (token == null) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid continue token: pass the \"continue\" of the previous page as it is.");
        }
    }

    static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
