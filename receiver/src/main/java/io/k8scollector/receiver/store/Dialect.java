package io.k8scollector.receiver.store;

import java.util.List;
import java.util.Map;

/** What differs between the two databases the store runs on. */
enum Dialect {
    SQLITE("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB", "", "", null, false),
    POSTGRESQL("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "BYTEA", " FOR SHARE", " FOR UPDATE",
            "SET LOCAL synchronous_commit = off", true);

    private static final String COMMON_MIGRATIONS = "classpath:db/migration";

    private final String serial;
    private final String bytes;
    private final String forShare;
    private final String forUpdate;
    private final String unflushedCommit;
    private final boolean copies;

    Dialect(String serial, String bytes, String forShare, String forUpdate, String unflushedCommit, boolean copies) {
        this.serial = serial;
        this.bytes = bytes;
        this.forShare = forShare;
        this.forUpdate = forUpdate;
        this.unflushedCommit = unflushedCommit;
        this.copies = copies;
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

    /** Where the migrations are: the common ones, and PostgreSQL's own (storage settings). */
    List<String> migrations() {
        return this == POSTGRESQL ? List.of(COMMON_MIGRATIONS, "classpath:db/postgresql") : List.of(COMMON_MIGRATIONS);
    }

    /**
     * The statement that lets the current transaction commit without waiting for its WAL flush,
     * or null where commits are already cheap (SQLite in WAL mode with synchronous=NORMAL).
     */
    String unflushedCommit() {
        return unflushedCommit;
    }

    /**
     * Whether a page's new rows go in with COPY ({@link CopyRows}), upserts being the fallback
     * when some are there already; SQLite has no COPY, and its inserts are cheap calls anyway.
     */
    boolean copies() {
        return copies;
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
