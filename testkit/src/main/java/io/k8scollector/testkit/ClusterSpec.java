package io.k8scollector.testkit;

import io.k8scollector.testkit.store.ObjectStore;
import java.time.Duration;

/**
 * What a test cluster holds, where it listens and how it serves watches. The same seed and sizes give
 * the same objects, with the same uids, and the same sequence of churn changes.
 *
 * @param pods how many Pods the generator makes (owners scale with them: about 10 Pods per ReplicaSet)
 * @param namespaces how many application namespaces (besides kube-system, default and the like)
 * @param seed the generator's seed
 * @param port the port to listen on, 0 for any free one
 * @param watchHistory how many changes of each type a watch can replay; a watch from an older
 *     resourceVersion gets 410 Gone
 * @param bookmarkInterval how often a watch that asked for bookmarks gets one
 * @param maxWatch how long the server keeps a watch open at most, whatever its {@code timeoutSeconds}
 * @param churn changes per second made by the churn generator once the cluster serves; 0 for none
 */
public record ClusterSpec(int pods, int namespaces, long seed, int port, int watchHistory,
        Duration bookmarkInterval, Duration maxWatch, double churn) {

    public ClusterSpec {
        if (pods < 0) {
            throw new IllegalArgumentException("pods must be 0 or more, not " + pods);
        }
        if (namespaces < 1) {
            throw new IllegalArgumentException("namespaces must be 1 or more, not " + namespaces);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
        }
        if (watchHistory < 1) {
            throw new IllegalArgumentException("watch history must be 1 event or more, not " + watchHistory);
        }
        if (bookmarkInterval.isNegative() || bookmarkInterval.isZero()) {
            throw new IllegalArgumentException("bookmark interval must be positive, not " + bookmarkInterval);
        }
        if (maxWatch.isNegative() || maxWatch.isZero()) {
            throw new IllegalArgumentException("the longest watch must be positive, not " + maxWatch);
        }
        if (!(churn >= 0 && churn <= 100_000)) {
            throw new IllegalArgumentException("churn must be between 0 and 100000 changes per second, not " + churn);
        }
    }

    /**
     * A builder with 100 pods, 4 application namespaces, seed 42, any free port, 10,000 changes of
     * history per type, a bookmark every 5 seconds, watches of 30 minutes at most and no churn.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ClusterSpec}. */
    public static final class Builder {
        private int pods = 100;
        private int namespaces = 4;
        private long seed = 42;
        private int port;
        private int watchHistory = ObjectStore.DEFAULT_HISTORY_EVENTS;
        private Duration bookmarkInterval = Duration.ofSeconds(5);
        private Duration maxWatch = Duration.ofMinutes(30);
        private double churn;

        private Builder() {}

        public Builder pods(int value) {
            pods = value;
            return this;
        }

        public Builder namespaces(int value) {
            namespaces = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder watchHistory(int events) {
            watchHistory = events;
            return this;
        }

        public Builder bookmarkInterval(Duration value) {
            bookmarkInterval = value;
            return this;
        }

        public Builder maxWatch(Duration value) {
            maxWatch = value;
            return this;
        }

        public Builder churn(double changesPerSecond) {
            churn = changesPerSecond;
            return this;
        }

        public ClusterSpec build() {
            return new ClusterSpec(pods, namespaces, seed, port, watchHistory, bookmarkInterval, maxWatch, churn);
        }
    }
}
