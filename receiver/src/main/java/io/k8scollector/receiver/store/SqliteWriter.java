package io.k8scollector.receiver.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of a SQLite database: a thread that runs the write work of every request. Work
 * that queued up while a transaction ran is run together in the next one, each piece inside its
 * own savepoint, so a refused or failed piece is undone alone while the others commit. A caller
 * gets its answer only after the commit that holds its work, so durability is that of one
 * transaction per request, with one commit (and one write of each touched index page) for many.
 */
final class SqliteWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteWriter.class);
    /** Pieces of work per transaction at most, so that one commit never waits on a long queue. */
    private static final int MAX_BATCH = 32;

    private record Job(Database.Work<?> work, CompletableFuture<Object> result) {}

    private final DataSource pool;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    SqliteWriter(DataSource pool) {
        this.pool = pool;
        this.thread = new Thread(this::run, "sqlite-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code work} in a write transaction and returns its value once committed. */
    @SuppressWarnings("unchecked")
    <T> T write(Database.Work<T> work) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        if (closed) {
            throw new StoreException("The database is closed.");
        }
        Job job = new Job(work, result);
        queue.add(job);
        if (closed && queue.remove(job)) {
            // close() came between the check and the add: the writer may have gone without it.
            result.completeExceptionally(new StoreException("The database is closed."));
        }
        try {
            return (T) result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreException("Database error: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void run() {
        List<Job> batch = new ArrayList<>(MAX_BATCH);
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            transaction(batch);
            batch.clear();
        }
        StoreException gone = new StoreException("The database is closed.");
        batch.addAll(queue);
        batch.forEach(job -> job.result().completeExceptionally(gone));
    }

    private void transaction(List<Job> batch) {
        Object[] values = new Object[batch.size()];
        Throwable[] errors = new Throwable[batch.size()];
        try (Connection c = pool.getConnection()) {
            try {
                for (int i = 0; i < batch.size(); i++) {
                    Savepoint savepoint = c.setSavepoint();
                    try {
                        values[i] = batch.get(i).work().run(c);
                        c.releaseSavepoint(savepoint);
                    } catch (SQLException | RuntimeException | Error e) {
                        // An Error too: the writer thread must outlive any one request's failure.
                        c.rollback(savepoint);
                        c.releaseSavepoint(savepoint);
                        errors[i] = e;
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException | Error e) {
            LOG.warn("A write transaction of {} requests failed", batch.size(), e);
            batch.forEach(job -> job.result().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (errors[i] == null) {
                batch.get(i).result().complete(values[i]);
            } else {
                batch.get(i).result().completeExceptionally(errors[i]);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
