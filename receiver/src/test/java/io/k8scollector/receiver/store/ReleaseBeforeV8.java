package io.k8scollector.receiver.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * A database as the release before the temporal schema (migration V8) made and filled it: the
 * schema up to V6, a membership row per record per snapshot, bodies shared across clusters,
 * keys with "null" for an absent namespace. For the tests of the upgrade to the current schema.
 */
public final class ReleaseBeforeV8 {

    /** One record as that release stored it: class, key, the filtered columns and the body. */
    public record OldRecord(String cls, String key, String uid, String apiVersion, String group, String kind,
            String namespace, String name, String body) {}

    private ReleaseBeforeV8() {}

    /** Creates that release's schema (V1 to V6) in the empty database at {@code url}. */
    public static void createSchema(String url) {
        Dialect dialect = Dialect.of(url);
        Flyway.configure().dataSource(url, null, null).locations(dialect.migrations().toArray(String[]::new))
                .placeholders(dialect.placeholders()).target("6").load().migrate();
    }

    /** A ConfigMap of namespace shop, keyed by its uid. */
    public static OldRecord configMap(String uid, String name, String data) {
        return new OldRecord("o", "u:" + uid, uid, "v1", "", "ConfigMap", "shop", name,
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"uid\":\"" + uid + "\",\"namespace\":\"shop\","
                        + "\"name\":\"" + name + "\"},\"data\":{\"key\":\"" + data + "\"}}");
    }

    /**
     * Writes a fetching of {@code cluster} (bound to {@code uid-CLUSTER}) and its records as that
     * release did, committed or still open; returns its seq. A committed one does not become
     * current: {@link #makeCurrent} does that.
     */
    public static long fetching(Connection c, String cluster, String fetchingId, List<OldRecord> records,
            Long previous, boolean committed) throws SQLException {
        update(c, "INSERT INTO clusters (id, unique_id) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", cluster, "uid-" + cluster);
        long now = Instant.now().toEpochMilli();
        update(c, "INSERT INTO fetchings (cluster_id, fetching_id, unique_id, started_at, last_seen_at, committed_at,"
                + " previous, object_count, added, changed, deleted, skipped) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 1, 1, '[]')",
                cluster, fetchingId, "uid-" + cluster, now, now, committed ? now : null, previous,
                records.stream().filter(r -> r.cls().equals("o")).count());
        long seq = Statements.longValue(c, "SELECT seq FROM fetchings WHERE cluster_id = ? AND fetching_id = ?",
                cluster, fetchingId);
        for (OldRecord r : records) {
            byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
            byte[] hash = Snapshots.sha256(body);
            update(c, "INSERT INTO bodies (hash, body) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING", hash, body);
            update(c, "INSERT INTO records (fetching, class, record_key, uid, api_version, api_group, kind, namespace,"
                    + " name, labels, body_hash, content_hash, carried) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, FALSE)",
                    seq, r.cls(), r.key(), r.uid(), r.apiVersion(), r.group(), r.kind(), r.namespace(), r.name(), hash, hash);
        }
        return seq;
    }

    /** Makes the fetching {@code seq} the current snapshot of {@code cluster}. */
    public static void makeCurrent(Connection c, String cluster, long seq) throws SQLException {
        update(c, "UPDATE clusters SET current_fetching = ? WHERE id = ?", seq, cluster);
    }

    /**
     * A key for every cluster with both scopes (as V5 gave the keys from before it), and a token
     * that the release issued to it and that is valid for an hour: a collector logged in before
     * the upgrade goes on with it.
     */
    public static void keyWithToken(Connection c, String accessKey, String secretKey, String token) throws Exception {
        long now = Instant.now().toEpochMilli();
        update(c, "INSERT INTO access_keys (access_key, secret_hash, clusters, created_at, revoked) VALUES (?, ?, '', ?, FALSE)",
                accessKey, new BCryptPasswordEncoder(4).encode(secretKey), now);
        update(c, "INSERT INTO tokens (token_hash, access_key, expires_at) VALUES (?, ?, ?)",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8))),
                accessKey, now + 3_600_000);
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Statements.bind(ps, args);
            ps.executeUpdate();
        }
    }
}
