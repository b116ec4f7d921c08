package io.k8scollector.receiver.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.k8scollector.protocol.ErrorBody;
import io.k8scollector.protocol.Json;
import io.k8scollector.receiver.health.ClusterEndpoints;
import io.k8scollector.receiver.health.ClusterStatus;
import io.k8scollector.receiver.health.ClusterStatuses;
import io.k8scollector.receiver.health.CollectorActivity;
import io.k8scollector.receiver.ingest.BodyReader;
import io.k8scollector.receiver.ingest.IngestEndpoints;
import io.k8scollector.receiver.ingest.Limits;
import io.k8scollector.receiver.keys.AccessKeys;
import io.k8scollector.receiver.query.InventoryEndpoints;
import io.k8scollector.receiver.query.QueryEndpoints;
import io.k8scollector.receiver.store.Database;
import io.k8scollector.receiver.store.Inventory;
import io.k8scollector.receiver.store.InventoryViews;
import io.k8scollector.receiver.store.Refused;
import io.k8scollector.receiver.store.Snapshots;
import io.k8scollector.receiver.web.InventoryPage;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.BadMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running receiver: the protocol, the query API, the page, {@code /healthz} (liveness),
 * {@code /readyz} (the database answers) and {@code /metrics} on one Javalin server over a
 * {@link Database}, plus the sweep that discards idle fetchings. Request bodies are cut off by
 * Jetty when they stall past the idle timeout or arrive slower than the minimum rate
 * ({@link Quotas}). Closing it stops the server (not the database, which the caller owns).
 */
public final class ReceiverServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiverServer.class);

    private final Javalin app;
    private final ScheduledExecutorService sweeper;

    private ReceiverServer(Javalin app, ScheduledExecutorService sweeper) {
        this.app = app;
        this.sweeper = sweeper;
    }

    /** Starts serving; returns once the port is bound. */
    public static ReceiverServer start(ReceiverSettings settings, Database db, Clock clock) {
        ReceiverMetrics metrics = new ReceiverMetrics();
        AccessKeys keys = new AccessKeys(db);
        Quotas quotas = settings.quotas();
        Authenticator auth = new Authenticator(keys, clock, quotas.requestsInFlightPerKey(), metrics);
        Snapshots snapshots = new Snapshots(db, settings.retention(), quotas.openFetchingIdle(), quotas.openFetchingsPerCluster());
        CollectorActivity activity = new CollectorActivity(db);
        ClusterStatuses statuses = new ClusterStatuses(db, settings.health(), clock);
        IngestEndpoints ingest = new IngestEndpoints(keys, auth, new LoginThrottle(quotas, settings.trustedProxyHeader()),
                snapshots, new BodyReader(Limits.LOGIN, metrics), new BodyReader(settings.limits(), metrics), metrics,
                activity, clock);
        Inventory inventory = new Inventory(db);
        QueryEndpoints query = new QueryEndpoints(auth, snapshots, inventory, statuses);
        InventoryEndpoints browser = new InventoryEndpoints(auth, snapshots, inventory, new InventoryViews(db));
        ClusterEndpoints cluster = new ClusterEndpoints(auth, statuses);
        InventoryPage page = new InventoryPage();
        Javalin app = Javalin.create(config -> {
            config.jsonMapper(new Jackson3Mapper());
            config.startup.showJavalinBanner = false;
            config.jetty.modifyHttpConfiguration(http -> {
                http.setIdleTimeout(quotas.bodyIdleTimeout().toMillis());
                http.setMinRequestDataRate(quotas.minBodyBytesPerSecond());
            });
            if (settings.tlsCert() != null) {
                TlsConnector.install(config, settings.host(), settings.port(), settings.tlsCert(), settings.tlsKey());
            }
            ingest.register(config.routes);
            query.register(config.routes);
            cluster.register(config.routes);
            browser.register(config.routes);
            page.register(config.routes);
            config.routes.get("/healthz", ctx -> ctx.result("ok"));
            config.routes.get("/readyz", ctx -> {
                if (!db.reachable()) {
                    throw new ApiException(503, "unavailable", "The database does not answer.");
                }
                ctx.result("ok");
            });
            config.routes.get("/metrics", ctx -> {
                if (settings.metricsToken() != null && !java.security.MessageDigest.isEqual(
                        ("Bearer " + settings.metricsToken()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        String.valueOf(ctx.header("Authorization")).getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                    throw new ApiException(401, ErrorBody.UNAUTHORIZED, "/metrics needs the metrics token.");
                }
                ctx.contentType("text/plain; version=0.0.4").result(metrics.render(gauged(statuses)));
            });
            config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e));
            config.routes.exception(Refused.class, (e, ctx) -> error(ctx, refusal(e)));
            // Javalin's own answers (unknown path, wrong method) get the protocol's error body too.
            config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, new ApiException(e.getStatus(),
                    e.getStatus() == 404 ? ErrorBody.NOT_FOUND : ErrorBody.BAD_REQUEST, e.getMessage() + ".")));
            // Jetty's own refusals while a body is read: 408 when it arrives too slowly.
            config.routes.exception(BadMessageException.class, (e, ctx) -> error(ctx, new ApiException(e.getCode(),
                    e.getCode() == 408 ? "timeout" : ErrorBody.BAD_REQUEST,
                    "The request body could not be read: " + e.getReason() + ".")));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("Request {} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, new ApiException(500, "internal", "The receiver failed; see its log."));
            });
            config.routes.after(ctx -> {
                auth.release(ctx);
                metrics.request(ctx.statusCode());
            });
        });
        app.start(settings.host(), settings.port());
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "idle-fetchings");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                int discarded = snapshots.discardIdle(clock.instant().minus(settings.idleLimit()));
                if (discarded > 0) {
                    LOG.info("Discarded {} fetchings idle for {}", discarded, settings.idleLimit());
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not discard idle fetchings", e);
            }
        }, 1, 10, TimeUnit.MINUTES);
        // Clusters that send only heartbeats merge nothing at their commits: their old snapshots go here.
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                int merged = snapshots.mergeAll(clock.instant());
                if (merged > 0) {
                    LOG.debug("Merged away {} snapshots past the retention", merged);
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not merge away old snapshots", e);
            }
        }, 1, 1, TimeUnit.MINUTES);
        LOG.info("Receiver listening on port {}", app.port());
        return new ReceiverServer(app, sweeper);
    }

    /** The clusters whose gauges /metrics shows: none while the database does not answer (the counters still do). */
    private static List<ClusterStatus> gauged(ClusterStatuses statuses) {
        try {
            return statuses.list();
        } catch (RuntimeException e) {
            LOG.warn("/metrics leaves out the cluster gauges: {}", e.getMessage());
            return List.of();
        }
    }

    private static ApiException refusal(Refused e) {
        return switch (e.reason()) {
            case NOT_FOUND -> ApiException.notFound(e.getMessage());
            case CLUSTER_CONFLICT -> new ApiException(409, ErrorBody.CLUSTER_CONFLICT, e.getMessage());
            case FETCHING_COMMITTED -> new ApiException(409, ErrorBody.FETCHING_COMMITTED, e.getMessage());
            case FETCHING_ABORTED -> new ApiException(409, ErrorBody.FETCHING_ABORTED, e.getMessage());
            case STALE -> new ApiException(409, ErrorBody.STALE, e.getMessage());
            case BAD_REQUEST -> ApiException.badRequest(e.getMessage());
            case TOO_MANY_OPEN -> ApiException.tooManyRequests(e.getMessage(), 60);
            case BASE_MISMATCH -> {
                Map<String, Object> current = new LinkedHashMap<>();
                current.put("current", e.current());
                yield new ApiException(409, ErrorBody.BASE_MISMATCH, e.getMessage(), current);
            }
            case GONE -> new ApiException(410, "gone", e.getMessage());
            case INCOMPLETE -> new ApiException(409, ErrorBody.INCOMPLETE, e.getMessage(), Map.of("shortfall", e.shortfall()));
        };
    }

    private static void error(Context ctx, ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.code());
        body.put("message", e.getMessage());
        body.putAll(e.extra());
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        ctx.status(e.status()).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
    }

    /** The bound port. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        app.stop();
    }
}
