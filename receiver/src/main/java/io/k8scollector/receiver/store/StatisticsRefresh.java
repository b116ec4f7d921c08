package io.k8scollector.receiver.store;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes PostgreSQL's statistics of the versions ({@link Dialect#analyze()}) after the
 * commits that ask for it, on one thread of its own, one ANALYZE at a time. ANALYZE locks the
 * table against other ANALYZEs: run inside concurrent commits (the first fetchings of many
 * clusters at once) each waited for the one before while holding its cluster's locks, and each
 * sampled the table again. Requests that come while one waits to run are one; a request while
 * one runs queues one more, which sees what committed since. Only the query API's plans use the
 * statistics (the lookups and closes of commits do not: docs/receiver.md, "Query plans of the
 * hot queries"), so they may trail a commit by one ANALYZE.
 */
final class StatisticsRefresh implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatisticsRefresh.class);

    private final Database db;
    private final String analyze;
    private final AtomicBoolean waiting = new AtomicBoolean();
    /** No thread while idle: it ends a second after its last ANALYZE. */
    private final ThreadPoolExecutor runner = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "versions-statistics");
                t.setDaemon(true);
                return t;
            });

    StatisticsRefresh(Database db, String analyze) {
        this.db = db;
        this.analyze = analyze;
    }

    /** Asks for an ANALYZE after the current transaction's commit; returns at once. */
    void request() {
        if (waiting.compareAndSet(false, true)) {
            runner.execute(this::analyze);
        }
    }

    private void analyze() {
        waiting.set(false);
        try {
            db.write(c -> {
                Statements.execute(c, analyze);
                return null;
            });
        } catch (StoreException e) {
            // The plans keep the statistics they had; the next commit that doubles the versions asks again.
            LOG.warn("Could not refresh the statistics of the versions ({}): {}", analyze, e.getMessage());
        }
    }

    /** Lets a queued ANALYZE go unrun; one that runs ends with its transaction. */
    @Override
    public void close() {
        runner.shutdownNow();
    }
}
