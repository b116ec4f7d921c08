package io.k8scollector.receiver.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;

/**
 * A migrated connection pool. Work runs in one transaction per call; on SQLite, writes go to
 * its {@link SqliteWriter} (SQLite allows one writer, which then commits the writes that queued
 * up together) while reads run beside them (WAL).
 */
public final class Database implements AutoCloseable {

    /** The default database: a SQLite file relative to the working directory. */
    public static final String DEFAULT_URL = "jdbc:sqlite:data/receiver.db";

    /** Page size of new SQLite databases: the largest SQLite has. */
    private static final int SQLITE_PAGE_SIZE = 65536;
    /** WAL size at which SQLite writes the WAL back to the database file. */
    private static final int CHECKPOINT_BYTES = 32 << 20;

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final SqliteWriter writer;
    private final StatisticsRefresh statistics;
    private final Consumer<String> statements;
    private final Consumer<String> rows;

    private Database(HikariDataSource pool, Dialect dialect, Consumer<String> statements, Consumer<String> rows) {
        this.pool = pool;
        this.dialect = dialect;
        this.writer = dialect == Dialect.SQLITE ? new SqliteWriter(pool) : null;
        this.statistics = dialect.analyze() == null ? null : new StatisticsRefresh(this, dialect.analyze());
        this.statements = statements;
        this.rows = rows;
    }

    /** Opens {@code url} (jdbc:sqlite:FILE or jdbc:postgresql://...) and runs the migrations. */
    public static Database open(String url) {
        return open(url, null);
    }

    /**
     * As {@link #open(String)}, handing the text of every statement that the store prepares on
     * PostgreSQL to {@code statements} (the tests' check that each hot query filters on the cluster).
     */
    static Database open(String url, Consumer<String> statements) {
        return open(url, statements, null);
    }

    /**
     * As {@link #open(String, Consumer)}, also handing {@code rows} a statement's text for every
     * row that a query read with it returns (the tests' check that a listing reads in proportion
     * to its page, not to the database). Writes on SQLite, which go to the writer, are not seen.
     */
    static Database open(String url, Consumer<String> statements, Consumer<String> rows) {
        Dialect dialect = Dialect.of(url);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("receiver");
        config.setAutoCommit(false);
        if (dialect == Dialect.SQLITE) {
            createParent(url);
            // WAL lets queries read while the single writer writes. synchronous=NORMAL: a
            // committed transaction survives a killed process (it is in the WAL file); only a
            // power cut can lose the last transactions, and the collector runs again anyway.
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "NORMAL");
            config.addDataSourceProperty("busy_timeout", "30000");
            // Pages of objects dirty random pages of the hash-keyed indexes. A larger cache keeps
            // them in memory, and checkpointing the WAL every 32 MiB instead of 4 MiB writes a
            // page touched by many transactions back to the database file once instead of often.
            config.addDataSourceProperty("cache_size", "-32768");
            config.addDataSourceProperty("wal_autocheckpoint", Integer.toString(CHECKPOINT_BYTES / sqlitePageSize(url)));
            config.setMaximumPoolSize(4);
        } else {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            config.setMaximumPoolSize(8);
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("Cannot open the database " + redacted(url) + ": " + e.getMessage(), e);
        }
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations(dialect.migrations().toArray(String[]::new))
                    .placeholders(dialect.placeholders())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreException("Cannot migrate the database " + redacted(url) + ": " + e.getMessage(), e);
        }
        return new Database(pool, dialect, statements, rows);
    }

    /**
     * The page size of the SQLite database, which is created in WAL mode with
     * {@link #SQLITE_PAGE_SIZE} pages if new (the page size of a WAL database cannot change
     * later). Every page the writer dirties costs two writes to the WAL, then a read and a write
     * at the checkpoint: system calls, which cost more than the copying on a virtual machine, and
     * with 4 KiB pages there is one of those per object body.
     */
    private static int sqlitePageSize(String url) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size = " + SQLITE_PAGE_SIZE);
            s.execute("PRAGMA journal_mode = WAL");
            try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot open the database " + redacted(url) + ": " + e.getMessage(), e);
        }
    }

    private static void createParent(String url) {
        String file = url.substring("jdbc:sqlite:".length()).replaceAll("\\?.*", "");
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (java.io.IOException e) {
            throw new StoreException("Cannot create the directory " + parent + " for the database.", e);
        }
    }

    private static String redacted(String url) {
        return url.replaceAll("\\?.*", "");
    }

    Dialect dialect() {
        return dialect;
    }

    /**
     * Refreshes the planner's statistics of the versions soon, off the caller's transaction
     * ({@link StatisticsRefresh}); nothing where plans do not use statistics (SQLite).
     */
    void refreshStatistics() {
        if (statistics != null) {
            statistics.request();
        }
    }

    /** One unit of work on a connection inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in a write transaction and returns once it is committed; its writes are
     * undone, all of them, when it throws.
     */
    public <T> T write(Work<T> work) {
        return writer != null ? writer.write(work) : transaction(null, work);
    }

    /**
     * As {@link #write}, for writes that nothing relies on being durable once answered: on
     * PostgreSQL the transaction commits without waiting for its WAL flush ({@link
     * Dialect#unflushedCommit()}); a server crash can lose it, never a later transaction that
     * waited for its own flush (the WAL is written in order).
     */
    public <T> T writeUnflushed(Work<T> work) {
        String unflushed = dialect.unflushedCommit();
        if (unflushed == null) {
            return write(work);
        }
        return write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute(unflushed);
            }
            return work.run(c);
        });
    }

    /**
     * Runs {@code work} in a read-only transaction whose statements all read one snapshot of the
     * database (PostgreSQL: REPEATABLE READ; SQLite: a WAL read transaction), so that a query
     * made of several statements never mixes two states, whatever commits meanwhile.
     */
    public <T> T read(Work<T> work) {
        return transaction(dialect.consistentRead(), work);
    }

    /**
     * Whether the database answers a query on the receiver's tables within a few seconds: false
     * when it is unreachable, its schema is gone, or this pool is closed.
     */
    public boolean reachable() {
        try {
            return read(c -> {
                try (Statement s = c.createStatement()) {
                    s.setQueryTimeout(5);
                    s.executeQuery("SELECT 1 FROM clusters WHERE 1 = 0").close();
                    return true;
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    private <T> T transaction(String first, Work<T> work) {
        try (Connection connection = pool.getConnection()) {
            try {
                if (first != null) {
                    try (Statement s = connection.createStatement()) {
                        s.execute(first);
                    }
                }
                T result = work.run(statements == null ? connection : recording(connection));
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("Database error: " + e.getMessage(), e);
        }
    }

    /**
     * {@code connection}, telling {@link #statements} the text of every statement prepared on it
     * and {@link #rows} (when set) every row its queries return.
     */
    private Connection recording(Connection connection) {
        return proxy(Connection.class, connection, (method, args, result) -> {
            if (method.getName().equals("prepareStatement") && args[0] instanceof String sql) {
                statements.accept(sql);
                if (rows != null) {
                    return proxy(PreparedStatement.class, (PreparedStatement) result, (m, a, r) -> m.getName()
                            .equals("executeQuery") ? proxy(ResultSet.class, (ResultSet) r, (next, none, more) -> {
                                if (next.getName().equals("next") && Boolean.TRUE.equals(more)) {
                                    rows.accept(sql);
                                }
                                return more;
                            }) : r);
                }
            }
            return result;
        });
    }

    /** What a proxy answers for a call of {@code method} that the proxied object answered with {@code result}. */
    private interface Answer {
        Object of(java.lang.reflect.Method method, Object[] args, Object result) throws Throwable;
    }

    /** {@code target} as {@code type}, answering each call as {@code answer} makes of {@code target}'s answer. */
    private static <T> T proxy(Class<T> type, T target, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return answer.of(method, args, result);
        }));
    }

    @Override
    public void close() {
        if (statistics != null) {
            statistics.close();
        }
        if (writer != null) {
            writer.close();
        }
        pool.close();
    }
}
