package io.k8scollector.receiver.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of a cluster's first snapshot, written by their pages straight into {@code
 * versions} (docs/receiver.md, "A cluster's first fetching"). A cluster without a snapshot has
 * no version its records could equal or replace, so its full fetching's pages write each record
 * as the open version it will be, valid from the fetching's seq, instead of staging it for the
 * commit to copy: the commit only counts them. Nothing reads them before: every query first
 * takes the cluster's current snapshot, which it has none of.
 *
 * <p>The rule that keeps them invisible: a cluster with a snapshot holds no direct versions.
 * Its first commit, under the cluster's row lock, moves the direct versions of every other
 * fetching into {@code staged} (they become what those pages would have staged), and a page
 * decides to write directly only under that lock too (shared), so a page and the first commit
 * are always one after the other. A fetching that never commits takes its direct versions with
 * it when it is aborted or swept as idle, or they are moved at the first commit of another.
 */
final class DirectVersions {

    /** What a direct version's staged row takes, in {@code staged}'s order ({@code valid_from} is its fetching). */
    private static final String MOVED = "valid_from, class, record_key, " + Versions.COLUMNS;
    private static final int MOVED_COLUMNS = MOVED.split(",").length;

    private DirectVersions() {}

    /**
     * Whether a page of a full fetching of {@code clusterId} writes its records as versions: the
     * cluster has no snapshot, read under its row lock (shared, to the end of the page's
     * transaction), which its first commit takes exclusively.
     */
    static boolean written(Connection c, Dialect dialect, String clusterId) throws SQLException {
        return Snapshots.current(c, clusterId).isEmpty() && Statements.optionalLong(c,
                "SELECT current_fetching FROM clusters WHERE id = ?" + dialect.forShare(), clusterId).isEmpty();
    }

    /** Fetching {@code seq}'s direct versions per class: the distinct records it sent so. */
    static Map<String, Long> counts(Connection c, String clusterId, long seq) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT class, COUNT(*) FROM versions WHERE cluster_id = ?"
                + " AND valid_from = ? GROUP BY class")) {
            Statements.bind(ps, clusterId, seq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    /**
     * At the cluster's first commit (fetching {@code seq}, under the cluster's row lock): moves
     * every other fetching's direct versions into {@code staged}, where they are what their pages
     * would have staged (a record that equals the new snapshot's version costs no version at
     * that fetching's commit). The committing fetching's own stay, unless it has staged rows too
     * (a fetching begun before this receiver's upgrade): then they are moved as well, so that its
     * commit reads all of its records from one place.
     */
    static void stageOthers(Connection c, String clusterId, long seq) throws SQLException {
        move(c, clusterId, "valid_from < ?", seq);
        move(c, clusterId, "valid_from > ?", seq);
        if (Statements.optionalLong(c, "SELECT fetching FROM staged WHERE cluster_id = ? AND fetching = ? LIMIT 1",
                clusterId, seq).isPresent()) {
            move(c, clusterId, "valid_from = ?", seq);
        }
    }

    /**
     * Deletes the versions {@code condition} names and stages them. Deleting first: a version the
     * idle sweep deleted meanwhile is not staged again for a fetching it removed.
     */
    private static void move(Connection c, String clusterId, String condition, long seq) throws SQLException {
        List<Object[]> moved = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM versions WHERE cluster_id = ? AND " + condition
                + " RETURNING " + MOVED)) {
            Statements.bind(ps, clusterId, seq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] row = new Object[MOVED_COLUMNS + 1];
                    row[0] = clusterId;
                    for (int i = 1; i <= MOVED_COLUMNS; i++) {
                        row[i] = rs.getObject(i);
                    }
                    moved.add(row);
                }
            }
        }
        if (moved.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(PageTarget.STAGED.upsert())) {
            for (Object[] row : moved) {
                Statements.bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Deletes the bodies that fetching {@code seq} (never committed) staged or wrote as versions
     * and nothing else uses, then its direct versions; under the bodies' exclusive lock.
     */
    static void dropWithBodies(Connection c, String clusterId, long seq) throws SQLException {
        Statements.update(c, "DELETE FROM bodies WHERE cluster_id = ? AND hash IN (SELECT body_hash FROM staged"
                + " WHERE cluster_id = ? AND fetching = ? UNION ALL SELECT body_hash FROM versions WHERE cluster_id = ?"
                + " AND valid_from = ?) AND NOT EXISTS (SELECT 1 FROM versions v WHERE v.cluster_id = bodies.cluster_id"
                + " AND v.body_hash = bodies.hash AND v.valid_from <> ?) AND NOT EXISTS (SELECT 1 FROM staged s"
                + " WHERE s.cluster_id = bodies.cluster_id AND s.body_hash = bodies.hash AND s.fetching <> ?)",
                clusterId, clusterId, seq, clusterId, seq, seq, seq);
        Statements.update(c, "DELETE FROM versions WHERE cluster_id = ? AND valid_from = ?", clusterId, seq);
    }
}
