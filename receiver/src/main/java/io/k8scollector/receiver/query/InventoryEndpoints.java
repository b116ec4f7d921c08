package io.k8scollector.receiver.query;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.k8scollector.protocol.ErrorBody;
import io.k8scollector.protocol.HelmRelease;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.keys.Caller;
import io.k8scollector.receiver.keys.Scope;
import io.k8scollector.receiver.server.ApiException;
import io.k8scollector.receiver.server.Authenticator;
import io.k8scollector.receiver.server.PathParams;
import io.k8scollector.receiver.store.ClusterView;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.receiver.store.Inventory;
import io.k8scollector.receiver.store.InventoryViews;
import io.k8scollector.receiver.store.RecordFilter;
import io.k8scollector.receiver.store.Snapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The inventory browser's queries, as the page and scripts read them alike: a kind's objects by
 * namespace and name, the namespaces, an object's relations, its history and its bodies in two
 * snapshots, and across the clusters a key may read, the images in use and the Helm charts with
 * their versions. Every call needs the read
 * scope; a cluster the key may not read is refused (per cluster) or left out (across clusters).
 */
public final class InventoryEndpoints {

    private final Authenticator auth;
    private final Snapshots snapshots;
    private final Inventory inventory;
    private final InventoryViews views;
    private final Images images;

    public InventoryEndpoints(Authenticator auth, Snapshots snapshots, Inventory inventory, InventoryViews views) {
        this.auth = auth;
        this.snapshots = snapshots;
        this.inventory = inventory;
        this.views = views;
        this.images = new Images(views);
    }

    public void register(RoutesConfig routes) {
        routes.get("/v1/clusters/{clusterId}/object-refs", this::objectRefs);
        routes.get("/v1/clusters/{clusterId}/namespaces", this::namespaces);
        routes.get("/v1/clusters/{clusterId}/objects/{uid}/relations", this::relations);
        routes.get("/v1/clusters/{clusterId}/objects/{uid}/history", this::history);
        routes.get("/v1/clusters/{clusterId}/objects/{uid}/diff", this::diff);
        routes.get("/v1/images", this::images);
        routes.get("/v1/helm-charts", this::charts);
    }

    private void objectRefs(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        auth.caller(ctx, clusterId, Scope.READ);
        InventoryViews.ObjectQuery query = new InventoryViews.ObjectQuery(ctx.queryParam("group"), blank(ctx, "kind"),
                blank(ctx, "namespace"), blank(ctx, "namePrefix"), LabelsFilter.parse(ctx.queryParam("labelSelector")));
        InventoryViews.SummaryPage page = views.objects(clusterId, query, QueryEndpoints.at(ctx), position(ctx),
                QueryEndpoints.limit(ctx));
        List<Map<String, Object>> items = new ArrayList<>();
        for (InventoryViews.ObjectSummary o : page.items()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("uid", o.uid());
            item.put("apiVersion", o.apiVersion());
            item.put("kind", o.kind());
            item.put("namespace", o.namespace());
            item.put("name", o.name());
            item.put("labels", o.labels() == null ? Map.of() : Json.MAPPER.readTree(o.labels()));
            items.add(item);
        }
        InventoryViews.Position next = page.continueAfter();
        write(ctx, items, next == null ? null : QueryEndpoints.encode(next.namespace() + "\n" + next.name() + "\n" + next.key()));
    }

    private static InventoryViews.Position position(Context ctx) {
        String after = QueryEndpoints.continueAfter(ctx);
        if (after == null) {
            return null;
        }
        String[] parts = after.split("\n", 3);
        if (parts.length != 3) {
            throw QueryEndpoints.badToken();
        }
        return new InventoryViews.Position(parts[0], parts[1], parts[2]);
    }

    private void namespaces(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        auth.caller(ctx, clusterId, Scope.READ);
        write(ctx, views.namespaces(clusterId, ctx.queryParam("group"), blank(ctx, "kind"), QueryEndpoints.at(ctx)), null);
    }

    private void relations(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        auth.caller(ctx, clusterId, Scope.READ);
        String uid = ctx.pathParam("uid");
        byte[] body = inventory.object(clusterId, uid, null).orElseThrow(() -> QueryEndpoints.noObject(ctx, clusterId, uid));
        ctx.contentType("application/json").result(Json.MAPPER.writeValueAsBytes(
                Relations.of(inventory, clusterId, uid, body, releases(clusterId))));
    }

    /** The retained snapshots in which the object changed, oldest first (all on one page). */
    private void history(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        auth.caller(ctx, clusterId, Scope.READ);
        String uid = ctx.pathParam("uid");
        List<InventoryViews.HistoryEntry> entries = views.history(clusterId, uid);
        if (entries.isEmpty()) {
            throw ApiException.notFound("No retained snapshot of cluster '" + clusterId + "' holds an object with uid "
                    + uid + ".");
        }
        write(ctx, entries, null);
    }

    /**
     * The object's body as YAML in snapshot {@code from} and in snapshot {@code to} (the current
     * one by default), each null where that snapshot did not hold the object: the page diffs them.
     */
    private void diff(Context ctx) {
        String clusterId = PathParams.clusterId(ctx);
        auth.caller(ctx, clusterId, Scope.READ);
        String uid = ctx.pathParam("uid");
        String from = snapshot(ctx, "from");
        if (from == null) {
            throw ApiException.badRequest("Give from: the fetchingId or RFC 3339 time of the older snapshot.");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("from", side(clusterId, uid, from));
        answer.put("to", side(clusterId, uid, snapshot(ctx, "to")));
        ctx.contentType("application/json").result(Json.MAPPER.writeValueAsBytes(answer));
    }

    private Map<String, Object> side(String clusterId, String uid, String at) {
        Map<String, Object> side = new LinkedHashMap<>();
        InventoryViews.BodyAt body = views.object(clusterId, uid, at).orElse(new InventoryViews.BodyAt(null, null));
        side.put("fetchingId", body.fetchingId());
        side.put("yaml", body.body() == null ? null : QueryEndpoints.yaml(body.body()));
        return side;
    }

    /** A snapshot parameter: a fetchingId or an RFC 3339 time, null when absent. */
    private static String snapshot(Context ctx, String parameter) {
        String value = blank(ctx, parameter);
        if (value != null && !FetchingId.isValid(value)) {
            QueryEndpoints.time(value, parameter);
        }
        return value;
    }

    private void images(Context ctx) {
        Caller caller = auth.caller(ctx, Scope.READ);
        String search = lower(blank(ctx, "search"));
        List<ClusterView> all = snapshots.clusters();
        images.forgetAllBut(all);
        List<Images.ImageUse> found = images.of(visible(ctx, caller, all)).stream()
                .filter(i -> search == null || i.image().toLowerCase(Locale.ROOT).contains(search))
                .toList();
        page(ctx, found, Images.ImageUse::image);
    }

    private void charts(Context ctx) {
        Caller caller = auth.caller(ctx, Scope.READ);
        String search = lower(blank(ctx, "search"));
        List<Charts.ClusterRelease> releases = new ArrayList<>();
        for (ClusterView cluster : visible(ctx, caller, snapshots.clusters())) {
            releases(cluster.id()).forEach(r -> releases.add(new Charts.ClusterRelease(cluster.id(), r)));
        }
        Predicate<Charts.ChartUse> matches = c -> search == null || c.chart().toLowerCase(Locale.ROOT).contains(search)
                || c.releases().stream().anyMatch(r -> r.name() != null && r.name().toLowerCase(Locale.ROOT).contains(search));
        page(ctx, Charts.of(releases).stream().filter(matches).toList(), Charts.ChartUse::key);
    }

    /** The clusters of {@code all} the key may read, or only {@code ?cluster=} (refused when the key may not read it). */
    private static List<ClusterView> visible(Context ctx, Caller caller, List<ClusterView> all) {
        String only = blank(ctx, "cluster");
        if (only != null && !caller.allows(only)) {
            throw new ApiException(403, ErrorBody.FORBIDDEN,
                    "Access key " + caller.accessKey() + " is not allowed for cluster '" + only + "'.");
        }
        List<ClusterView> visible = all.stream()
                .filter(c -> caller.allows(c.id()) && (only == null || only.equals(c.id()))).toList();
        if (only != null && visible.isEmpty()) {
            throw ApiException.notFound("Unknown cluster '" + only + "'.");
        }
        return visible;
    }

    /** Every Helm release and Argo CD application of the cluster's current snapshot. */
    private List<HelmRelease> releases(String clusterId) {
        List<HelmRelease> releases = new ArrayList<>();
        Inventory.Page page = inventory.list(clusterId, RecordKind.HELM_RELEASES, RecordFilter.ALL, null, null, null,
                QueryEndpoints.MAX_LIMIT);
        while (true) {
            page.bodies().forEach(body -> releases.add(Json.MAPPER.readValue(body, HelmRelease.class)));
            if (page.continueAfter() == null) {
                return releases;
            }
            // The next pages read the snapshot the first one read.
            page = inventory.list(clusterId, RecordKind.HELM_RELEASES, RecordFilter.ALL, null,
                    page.snapshot().fetchingId(), page.continueAfter(), QueryEndpoints.MAX_LIMIT);
        }
    }

    /** A page of {@code sorted} (ascending by {@code key}, keys unique) after the request's continue. */
    private static <T> void page(Context ctx, List<T> sorted, Function<T, String> key) {
        int limit = QueryEndpoints.limit(ctx);
        String after = QueryEndpoints.continueAfter(ctx);
        List<T> items = sorted.stream().filter(t -> after == null || key.apply(t).compareTo(after) > 0)
                .limit(limit + 1L).toList();
        String next = items.size() > limit ? QueryEndpoints.encode(key.apply(items.get(limit - 1))) : null;
        write(ctx, items.subList(0, Math.min(limit, items.size())), next);
    }

    private static void write(Context ctx, List<?> items, String next) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        page.put("continue", next);
        ctx.contentType("application/json").result(Json.MAPPER.writeValueAsBytes(page));
    }

    private static String blank(Context ctx, String param) {
        return QueryEndpoints.blank(ctx.queryParam(param));
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }
}
