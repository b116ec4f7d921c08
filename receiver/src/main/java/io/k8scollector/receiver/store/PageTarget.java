package io.k8scollector.receiver.store;

/**
 * Where a page's records go: {@code staged}, to be compared with the current versions at the
 * commit, or straight into {@code versions} as open versions of the fetching's seq (a cluster's
 * first fetching, {@link DirectVersions}). Both take a record's columns in one order, the
 * fetching's seq second, so that one row writer and one upsert serve both.
 */
enum PageTarget {
    STAGED("staged", "fetching", "", "cluster_id, fetching, class, record_key"),
    VERSIONS("versions", "valid_from", ", valid_to", "cluster_id, class, record_key, valid_from");

    private final String table;
    private final String columns;
    private final String conflict;

    PageTarget(String table, String seqColumn, String open, String conflict) {
        this.table = table;
        this.columns = "cluster_id, " + seqColumn + ", class, record_key, " + Versions.COLUMNS + open;
        this.conflict = conflict;
    }

    String table() {
        return table;
    }

    /** The columns a row gives, in order: cluster, seq, class, key, {@link Versions#COLUMNS}, and for versions valid_to. */
    String columns() {
        return columns;
    }

    /** Whether a row ends with {@code valid_to} (always {@link Versions#OPEN}). */
    boolean open() {
        return this == VERSIONS;
    }

    /** An insert of one row (its 13 values, as {@link #columns()} without valid_to) that replaces a row of the same key. */
    String upsert() {
        return "INSERT INTO " + table + " (" + columns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
                + (open() ? ", " + Versions.OPEN : "") + ") ON CONFLICT (" + conflict + ") DO UPDATE SET uid = excluded.uid,"
                + " api_version = excluded.api_version, api_group = excluded.api_group, kind = excluded.kind,"
                + " namespace = excluded.namespace, name = excluded.name, labels = excluded.labels,"
                + " body_hash = excluded.body_hash, content_hash = excluded.content_hash";
    }
}
