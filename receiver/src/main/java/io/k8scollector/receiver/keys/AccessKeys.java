package io.k8scollector.receiver.keys;

import io.k8scollector.protocol.ClusterId;
import io.k8scollector.receiver.store.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Creates, lists and revokes access keys, logs them in and resolves their tokens. Secrets are
 * hashed with BCrypt (slow on purpose: a stolen database does not give the secrets away);
 * tokens are 256 random bits, so a plain SHA-256 is enough to keep them out of the database.
 */
public final class AccessKeys {

    /** How long a token lives. */
    public static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder(10);
    // Compared against when the key is unknown, so that unknown and wrong keys take as long.
    private static final String DUMMY_HASH = BCRYPT.encode("not-a-secret");

    private final Database db;

    public AccessKeys(Database db) {
        this.db = db;
    }

    /**
     * Makes a key limited to {@code clusters} (empty: every cluster) whose tokens may do what
     * {@code scopes} cover (at least one).
     */
    public NewKey create(List<String> clusters, Set<Scope> scopes, Instant now) {
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("A key needs a scope: ingest, read or ingest,read.");
        }
        for (String cluster : clusters) {
            if (!ClusterId.isValid(cluster)) {
                throw new IllegalArgumentException("Invalid cluster id '" + cluster + "': use " + ClusterId.RULE + ".");
            }
        }
        String accessKey = "AK" + HexFormat.of().withUpperCase().formatHex(random(10));
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random(30));
        String hash = BCRYPT.encode(secret);
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO access_keys (access_key, secret_hash, clusters,"
                    + " scopes, created_at, revoked) VALUES (?, ?, ?, ?, ?, FALSE)")) {
                ps.setString(1, accessKey);
                ps.setString(2, hash);
                ps.setString(3, String.join(",", clusters));
                ps.setString(4, Scope.join(scopes));
                ps.setLong(5, now.toEpochMilli());
                return ps.executeUpdate();
            }
        });
        return new NewKey(accessKey, secret);
    }

    /** Every key, oldest first. */
    public List<KeyInfo> list() {
        return db.read(c -> {
            List<KeyInfo> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT access_key, clusters, scopes, created_at, revoked FROM access_keys ORDER BY created_at, access_key");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(new KeyInfo(rs.getString(1), split(rs.getString(2)), split(rs.getString(3)),
                            Instant.ofEpochMilli(rs.getLong(4)), rs.getBoolean(5)));
                }
            }
            return keys;
        });
    }

    /** Revokes a key and deletes its tokens; false when there is no such key. */
    public boolean revoke(String accessKey) {
        return db.write(c -> {
            int changed;
            try (PreparedStatement ps = c.prepareStatement("UPDATE access_keys SET revoked = TRUE WHERE access_key = ?")) {
                ps.setString(1, accessKey);
                changed = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE access_key = ?")) {
                ps.setString(1, accessKey);
                ps.executeUpdate();
            }
            return changed > 0;
        });
    }

    /** A new token for a valid, unrevoked key pair; empty for anything else. */
    public Optional<String> login(String accessKey, String secretKey, Instant now) {
        if (accessKey == null || secretKey == null) {
            return Optional.empty();
        }
        Optional<String> hash = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT secret_hash FROM access_keys WHERE access_key = ? AND revoked = FALSE")) {
                ps.setString(1, accessKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
        boolean matches = BCRYPT.matches(secretKey, hash.orElse(DUMMY_HASH));
        if (hash.isEmpty() || !matches) {
            return Optional.empty();
        }
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
        db.write(c -> {
            try (PreparedStatement expired = c.prepareStatement("DELETE FROM tokens WHERE expires_at < ?")) {
                expired.setLong(1, now.toEpochMilli());
                expired.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO tokens (token_hash, access_key, expires_at) VALUES (?, ?, ?)")) {
                ps.setString(1, sha256(token));
                ps.setString(2, accessKey);
                ps.setLong(3, now.plus(TOKEN_LIFETIME).toEpochMilli());
                return ps.executeUpdate();
            }
        });
        return Optional.of(token);
    }

    /** The caller a live token belongs to; empty for a missing, unknown, expired or revoked one. */
    public Optional<Caller> caller(String token, Instant now) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT k.access_key, k.clusters, k.scopes FROM tokens t"
                    + " JOIN access_keys k ON k.access_key = t.access_key"
                    + " WHERE t.token_hash = ? AND t.expires_at > ? AND k.revoked = FALSE")) {
                ps.setString(1, sha256(token));
                ps.setLong(2, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Caller(rs.getString(1), Set.copyOf(split(rs.getString(2))),
                                    Scope.parse(rs.getString(3))))
                            : Optional.<Caller>empty();
                }
            }
        });
    }

    /** Deletes {@code token} (signing out); false when it was not a stored token. */
    public boolean revokeToken(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE token_hash = ?")) {
                ps.setString(1, sha256(token));
                return ps.executeUpdate() > 0;
            }
        });
    }

    private static List<String> split(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
