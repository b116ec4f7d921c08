package io.k8scollector.receiver.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Token buckets by key (a client address, an access key), in this replica's memory. A bucket
 * left alone for as long as it takes to fill up again is the same as a new one, so Caffeine
 * forgets it then: memory follows the keys active in the last few seconds.
 */
public final class RateLimiter {

    /** {@code perSecond} tokens come back every second, up to {@code burst}. */
    public record Rate(double perSecond, int burst) {
        public Rate {
            if (perSecond <= 0 || burst < 1) {
                throw new IllegalArgumentException("A rate needs tokens per second > 0 and a burst >= 1.");
            }
        }

        Duration refill() {
            return Duration.ofNanos((long) Math.ceil(burst / perSecond * 1e9));
        }
    }

    /** Keys tracked at most; past it the least recently used are forgotten (they start full again). */
    private static final long MAX_KEYS = 100_000;

    private final Rate rate;
    private final Cache<String, Bucket> buckets;

    public RateLimiter(Rate rate) {
        this.rate = rate;
        this.buckets = Caffeine.newBuilder().expireAfterAccess(rate.refill()).maximumSize(MAX_KEYS).build();
    }

    /** Takes a token for {@code key}: 0 when there was one, else the whole seconds until there is. */
    public long retryAfterSeconds(String key) {
        return buckets.get(key, k -> new Bucket(rate, System.nanoTime())).take(rate, System.nanoTime());
    }

    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(Rate rate, long now) {
            tokens = rate.burst();
            at = now;
        }

        synchronized long take(Rate rate, long now) {
            tokens = Math.min(rate.burst(), tokens + (now - at) / 1e9 * rate.perSecond());
            at = now;
            if (tokens >= 1) {
                tokens--;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / rate.perSecond()));
        }
    }
}
