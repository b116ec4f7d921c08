package io.k8scollector.receiver.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every table that holds a cluster's data, with how its rows are found by cluster id: the one
 * list that {@link #delete} works through, so that a table of cluster data added by a migration
 * is deleted with its cluster once it is added here. Access keys and tokens are not cluster data
 * (a key may name a deleted cluster, which then comes back with its next start).
 */
public final class ClusterData {

    /** A table and the condition that selects one cluster's rows, the cluster id being its only parameter. */
    private record Table(String name, String ofCluster) {}

    /** In deletion order: rows that point at others go before them. */
    private static final List<Table> TABLES = List.of(
            new Table("records", "fetching IN (SELECT seq FROM fetchings WHERE cluster_id = ?)"),
            new Table("fetchings", "cluster_id = ?"),
            new Table("cluster_health", "cluster_id = ?"),
            new Table("clusters", "id = ?"));

    /**
     * Bodies are shared by content across clusters: the cluster's bodies that no other
     * cluster's record uses, deleted before the cluster's records are.
     */
    private static final String UNSHARED_BODIES = "DELETE FROM bodies WHERE hash IN (SELECT r.body_hash FROM records r"
            + " JOIN fetchings f ON f.seq = r.fetching WHERE f.cluster_id = ?) AND NOT EXISTS (SELECT 1 FROM records o"
            + " JOIN fetchings g ON g.seq = o.fetching WHERE o.body_hash = bodies.hash AND g.cluster_id <> ?)";

    private final Database db;

    public ClusterData(Database db) {
        this.db = db;
    }

    /**
     * Deletes cluster {@code clusterId} and all of its data in one transaction; returns the rows
     * deleted per table (bodies included), or an empty map when there is no such cluster.
     */
    public Map<String, Integer> delete(String clusterId) {
        return db.write(c -> {
            Map<String, Integer> deleted = new LinkedHashMap<>();
            // Row locks in the order commits and page writes take them (fetchings, then the
            // cluster), then the lock that keeps page writes out while bodies go.
            query(c, "SELECT seq FROM fetchings WHERE cluster_id = ?" + db.dialect().forUpdate(), clusterId);
            if (!query(c, "SELECT id FROM clusters WHERE id = ?" + db.dialect().forUpdate(), clusterId)) {
                return deleted;
            }
            if (db.dialect().bodiesExclusive() != null) {
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute(db.dialect().bodiesExclusive());
                }
            }
            deleted.put("bodies", Snapshots.update(c, UNSHARED_BODIES, clusterId, clusterId));
            for (Table table : TABLES) {
                deleted.put(table.name(), Snapshots.update(c, "DELETE FROM " + table.name() + " WHERE " + table.ofCluster(),
                        clusterId));
            }
            return deleted;
        });
    }

    /** Runs a query for its row locks; whether it found a row. */
    private static boolean query(Connection c, String sql, String clusterId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, clusterId);
            try (ResultSet rs = ps.executeQuery()) {
                boolean found = false;
                while (rs.next()) {
                    found = true;
                }
                return found;
            }
        }
    }
}
