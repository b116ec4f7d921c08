package io.k8scollector.receiver.server;

import java.time.Duration;

/**
 * What one caller may take of a replica: logins per client address and per access key, requests
 * in flight per key, open fetchings per cluster (counted in the database, so across replicas),
 * and how slowly a request body may arrive. Past a rate or a count the answer is {@code 429}
 * with {@code Retry-After}; a body that stalls or trickles is cut off by Jetty.
 *
 * @param openFetchingIdle how long an uncommitted fetching counts as open after its last request:
 *     far shorter than the sweep's idle limit, so that failed runs that never said so free their
 *     place soon, while a fetching that is sending pages keeps it
 * @param bodyIdleTimeout longest wait for the next bytes of a request (and of a connection between requests)
 * @param minBodyBytesPerSecond slowest average rate a request body may arrive at
 */
public record Quotas(
        RateLimiter.Rate loginsPerAddress,
        RateLimiter.Rate loginsPerKey,
        int requestsInFlightPerKey,
        int openFetchingsPerCluster,
        Duration openFetchingIdle,
        Duration bodyIdleTimeout,
        long minBodyBytesPerSecond) {

    /**
     * 10 logins a second per address (bursts of 20) and 5 per key (bursts of 10): a collector
     * logs in once per run and again only when its token expires, a person signs in now and
     * then. 16 requests in flight per key: a collector sends a few pages at a time. 4 open
     * fetchings per cluster: a collector keeps one open, so a few left by failed runs still fit;
     * such a run stops counting when it aborts, or 15 minutes after its last request (a run
     * sends pages as it lists, so one that is working is never silent that long).
     * 30 seconds without a byte, or under 1 KiB a second, ends a request: a 500 KiB page then
     * needs at most about 8 minutes, while a client that sends a byte now and then holds
     * nothing for long.
     */
    public static final Quotas DEFAULT = new Quotas(new RateLimiter.Rate(10, 20), new RateLimiter.Rate(5, 10), 16, 4,
            Duration.ofMinutes(15), Duration.ofSeconds(30), 1024);

    public Quotas {
        if (requestsInFlightPerKey < 1 || openFetchingsPerCluster < 1) {
            throw new IllegalArgumentException("Quotas must allow at least one request and one open fetching.");
        }
        if (openFetchingIdle.isNegative() || openFetchingIdle.isZero()) {
            throw new IllegalArgumentException("An open fetching must count for longer than 0, not " + openFetchingIdle + ".");
        }
    }

    public Quotas withLogins(RateLimiter.Rate perAddress, RateLimiter.Rate perKey) {
        return new Quotas(perAddress, perKey, requestsInFlightPerKey, openFetchingsPerCluster, openFetchingIdle,
                bodyIdleTimeout, minBodyBytesPerSecond);
    }

    public Quotas withRequestsInFlightPerKey(int n) {
        return new Quotas(loginsPerAddress, loginsPerKey, n, openFetchingsPerCluster, openFetchingIdle,
                bodyIdleTimeout, minBodyBytesPerSecond);
    }

    /** {@code minBytesPerSecond} 0: no minimum rate. */
    public Quotas withBodyLimits(Duration idleTimeout, long minBytesPerSecond) {
        return new Quotas(loginsPerAddress, loginsPerKey, requestsInFlightPerKey, openFetchingsPerCluster,
                openFetchingIdle, idleTimeout, minBytesPerSecond);
    }

    /** {@code idle}: how long an uncommitted fetching counts as open after its last request. */
    public Quotas withOpenFetchingIdle(Duration idle) {
        return new Quotas(loginsPerAddress, loginsPerKey, requestsInFlightPerKey, openFetchingsPerCluster, idle,
                bodyIdleTimeout, minBodyBytesPerSecond);
    }
}
