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

    /**
     * In deletion order. Every table of cluster data leads with {@code cluster_id} (bodies too:
     * they are shared within a cluster only), so one condition selects a cluster's rows in each.
     */
    private static final List<Table> TABLES = List.of(
            new Table("staged_deletions", "cluster_id = ?"),
            new Table("staged_seen", "cluster_id = ?"),
            new Table("staged", "cluster_id = ?"),
            new Table("versions", "cluster_id = ?"),
            new Table("bodies", "cluster_id = ?"),
            new Table("fetchings", "cluster_id = ?"),
            new Table("cluster_health", "cluster_id = ?"),
            new Table("clusters", "id = ?"));

    private final Database db;

    public ClusterData(Database db) {
        this.db = db;
    }

    /**
     * Deletes cluster {@code clusterId} and all of its data in one transaction; returns the rows
     * deleted per table, or an empty map when there is no such cluster.
     */
    public Map<String, Integer> delete(String clusterId) {
        return db.write(c -> {
            Map<String, Integer> deleted = new LinkedHashMap<>();
            // Row locks in the order commits and page writes take them: fetchings, then the cluster.
            query(c, "SELECT seq FROM fetchings WHERE cluster_id = ?" + db.dialect().forUpdate(), clusterId);
            if (!query(c, "SELECT id FROM clusters WHERE id = ?" + db.dialect().forUpdate(), clusterId)) {
                return deleted;
            }
            if (db.dialect().bodiesExclusive() != null) {
                // Keeps page writes, which look bodies up under the shared lock, out while bodies go.
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute(db.dialect().bodiesExclusive());
                }
            }
            for (Table table : TABLES) {
                deleted.put(table.name(), Statements.update(c, "DELETE FROM " + table.name() + " WHERE " + table.ofCluster(),
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
