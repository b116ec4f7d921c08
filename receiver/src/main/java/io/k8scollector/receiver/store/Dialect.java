package io.k8scollector.receiver.store;

import java.util.List;
import java.util.Map;

/** What differs between the two databases the store runs on. */
enum Dialect {
    SQLITE("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB", "", "", null, false, null, null, null, null),
    POSTGRESQL("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "BYTEA", " FOR SHARE", " FOR UPDATE",
            "SET LOCAL synchronous_commit = off", true, "ANALYZE versions",
            "SELECT pg_advisory_xact_lock_shared(" + Dialect.BODIES_LOCK + ", hashtext(current_schema()))",
            "SELECT pg_advisory_xact_lock(" + Dialect.BODIES_LOCK + ", hashtext(current_schema()))",
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");

    /**
     * The first key of the advisory lock on this schema's bodies (the second is the schema's
     * hash, so that receivers in other schemas of one database do not wait on each other).
     */
    private static final int BODIES_LOCK = 0x6b38735f;

    private static final String COMMON_MIGRATIONS = "classpath:db/migration";

    private final String serial;
    private final String bytes;
    private final String forShare;
    private final String forUpdate;
    private final String unflushedCommit;
    private final boolean copies;
    private final String analyze;
    private final String bodiesShared;
    private final String bodiesExclusive;
    private final String consistentRead;

    Dialect(String serial, String bytes, String forShare, String forUpdate, String unflushedCommit, boolean copies,
            String analyze, String bodiesShared, String bodiesExclusive, String consistentRead) {
        this.serial = serial;
        this.bytes = bytes;
        this.forShare = forShare;
        this.forUpdate = forUpdate;
        this.unflushedCommit = unflushedCommit;
        this.copies = copies;
        this.analyze = analyze;
        this.bodiesShared = bodiesShared;
        this.bodiesExclusive = bodiesExclusive;
        this.consistentRead = consistentRead;
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

    /**
     * Whether a list of keys is bound as one array ({@link Versions#current}); SQLite binds
     * each key (an IN list), PostgreSQL one array joined key by key to the versions.
     */
    boolean bindsArrays() {
        return this == POSTGRESQL;
    }

    /**
     * The statement that refreshes the planner's statistics of the versions, run after a commit
     * that at least doubles them ({@link StatisticsRefresh}); null for SQLite, whose plans are chosen
     * without statistics (and kept so).
     */
    String analyze() {
        return analyze;
    }

    /** How many versions the statistics count (negative: never analysed); only where {@link #analyze()} is not null. */
    String analyzedRows() {
        return "SELECT reltuples::bigint FROM pg_class WHERE oid = 'versions'::regclass";
    }

    /** Row lock that keeps a commit out while a page is written (SQLite has one writer anyway). */
    String forShare() {
        return forShare;
    }

    /**
     * The lock a page write holds while it decides which bodies are stored already and points
     * records at them, shared with other page writes; null where writes run one at a time
     * (SQLite). See {@link #bodiesExclusive()}.
     */
    String bodiesShared() {
        return bodiesShared;
    }

    /**
     * The lock that deleting bodies takes, exclusive of every page write: in READ COMMITTED a
     * deletion's check that no record uses a body cannot see a page's records not committed
     * yet, so without it a page could point at a body deleted under it. Held to the end of the
     * deleting transaction, whose statements after it see every page committed before.
     */
    String bodiesExclusive() {
        return bodiesExclusive;
    }

    /**
     * The first statement of a read transaction that makes all of its statements read one
     * snapshot of the database, or null where a read transaction does already (SQLite in WAL mode).
     */
    String consistentRead() {
        return consistentRead;
    }

    /** Row lock for a commit. */
    String forUpdate() {
        return forUpdate;
    }
}
