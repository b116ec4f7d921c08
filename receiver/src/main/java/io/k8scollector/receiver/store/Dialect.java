package io.k8scollector.receiver.store;

import java.util.Map;

/** What differs between the two databases the store runs on. */
enum Dialect {
    SQLITE("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB", "", ""),
    POSTGRESQL("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "BYTEA", " FOR SHARE", " FOR UPDATE");

    private final String serial;
    private final String bytes;
    private final String forShare;
    private final String forUpdate;

    Dialect(String serial, String bytes, String forShare, String forUpdate) {
        this.serial = serial;
        this.bytes = bytes;
        this.forShare = forShare;
        this.forUpdate = forUpdate;
    }

    static Dialect of(String url) {
        if (url.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new StoreException("Unsupported database URL '" + url.replaceAll("\\?.*", "")
                + "': use jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB.");
    }

    /** The Flyway placeholders of the migrations. */
    Map<String, String> placeholders() {
        return Map.of("serial", serial, "bytes", bytes);
    }

    /** Row lock that keeps a commit out while a page is written (SQLite has one writer anyway). */
    String forShare() {
        return forShare;
    }

    /** Row lock for a commit. */
    String forUpdate() {
        return forUpdate;
    }
}
