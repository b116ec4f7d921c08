package io.k8scollector.receiver.store;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What an uncommitted fetching holds, by class and key: the records it sent that differed from
 * their current version when their page came ({@code staged}), those that equalled it
 * ({@code seen}, with the body hash they had), and a delta's deletions; and for a cluster's first
 * fetching, how many records per class it wrote as versions ({@code direct}, {@link
 * DirectVersions}), keys that are in neither of the others. A key is in at most one of staged and
 * seen: a record staged and also seen keeps its staged copy.
 */
final class StagedFetching {

    final Map<String, Map<String, Versions.Hashes>> staged = new HashMap<>();
    final Map<String, Map<String, byte[]>> seen = new HashMap<>();
    final Map<String, Set<String>> deletions = new HashMap<>();
    private Map<String, Long> direct = Map.of();

    private StagedFetching() {}

    /**
     * Loads fetching {@code seq}'s staged rows, seen entries and deletions, and with {@code first}
     * (the cluster has no snapshot) counts its direct versions: work in proportion to what it sent.
     */
    static StagedFetching load(Connection c, String clusterId, long seq, boolean first) throws SQLException {
        StagedFetching f = new StagedFetching();
        if (first) {
            f.direct = DirectVersions.counts(c, clusterId, seq);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT class, record_key, body_hash, content_hash FROM staged"
                + " WHERE cluster_id = ? AND fetching = ?")) {
            Statements.bind(ps, clusterId, seq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    f.staged.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                            .put(rs.getString(2), new Versions.Hashes(rs.getBytes(3), rs.getBytes(4)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT class, entries FROM staged_seen"
                + " WHERE cluster_id = ? AND fetching = ?")) {
            Statements.bind(ps, clusterId, seq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String cls = rs.getString(1);
                    Map<String, Versions.Hashes> stagedOfClass = f.staged.getOrDefault(cls, Map.of());
                    Map<String, byte[]> seenOfClass = f.seen.computeIfAbsent(cls, k -> new HashMap<>());
                    unpack(rs.getBytes(2)).forEach((key, hash) -> {
                        if (!stagedOfClass.containsKey(key)) {
                            seenOfClass.put(key, hash);
                        }
                    });
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT class, record_key FROM staged_deletions"
                + " WHERE cluster_id = ? AND fetching = ?")) {
            Statements.bind(ps, clusterId, seq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    f.deletions.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
                }
            }
        }
        return f;
    }

    /** Distinct records of {@code cls} the fetching sent. */
    long sent(String cls) {
        return staged.getOrDefault(cls, Map.of()).size() + seen.getOrDefault(cls, Map.of()).size() + direct(cls);
    }

    /** Records of {@code cls} the fetching wrote as versions of its own (none unless the cluster has no snapshot). */
    long direct(String cls) {
        return direct.getOrDefault(cls, 0L);
    }

    /** Whether the fetching staged or saw a record of {@code cls} with {@code key} (a direct version is not looked at). */
    boolean sent(String cls, String key) {
        return staged.getOrDefault(cls, Map.of()).containsKey(key) || seen.getOrDefault(cls, Map.of()).containsKey(key);
    }

    long deletionCount() {
        return deletions.values().stream().mapToLong(Set::size).sum();
    }

    boolean isEmpty() {
        return staged.isEmpty() && seen.isEmpty() && deletions.isEmpty() && direct.isEmpty();
    }

    /** Packs seen entries (key, body hash) into the bytes of one {@code staged_seen} row. */
    static byte[] pack(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeByte(e.getValue().length);
                out.write(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Map<String, byte[]> unpack(byte[] packed) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(packed))) {
            while (in.available() > 0) {
                String key = in.readUTF();
                byte[] hash = new byte[in.readUnsignedByte()];
                in.readFully(hash);
                entries.put(key, hash);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }
}
