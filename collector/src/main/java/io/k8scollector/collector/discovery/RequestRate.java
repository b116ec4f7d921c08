package io.k8scollector.collector.discovery;

import io.k8scollector.collector.CollectorException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket shared by every request of a run to the API server ({@code collector.apiQps}):
 * at most {@code qps} requests per second on average, with bursts of up to {@code qps} after a
 * pause. A run makes one and hands it to discovery and to every listing pass; thread-safe.
 */
public final class RequestRate {

    private final long intervalNanos;
    private final long burstNanos;
    private long nextFree;
    private final AtomicLong requests = new AtomicLong();

    public RequestRate(int qps) {
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / qps;
        this.burstNanos = intervalNanos * qps;
        this.nextFree = System.nanoTime() - burstNanos;
    }

    /** The requests made under this rate so far (each {@link #acquire()}), for the run's report. */
    public long requests() {
        return requests.get();
    }

    /** Blocks until one more request fits under the rate. */
    public void acquire() {
        requests.incrementAndGet();
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(nextFree, now - burstNanos);
            nextFree = slot + intervalNanos;
            wait = slot - now;
        }
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CollectorException("Interrupted while waiting for the API request rate.", e);
            }
        }
    }
}
