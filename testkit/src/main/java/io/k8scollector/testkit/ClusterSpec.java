package io.k8scollector.testkit;

/**
 * What a test cluster holds and where it listens. The same seed and sizes give the same objects,
 * with the same uids.
 *
 * @param pods how many Pods the generator makes (owners scale with them: about 10 Pods per ReplicaSet)
 * @param namespaces how many application namespaces (besides kube-system, default and the like)
 * @param seed the generator's seed
 * @param port the port to listen on, 0 for any free one
 */
public record ClusterSpec(int pods, int namespaces, long seed, int port) {

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
    }

    /** A builder with 100 pods, 4 application namespaces, seed 42 and any free port. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ClusterSpec}. */
    public static final class Builder {
        private int pods = 100;
        private int namespaces = 4;
        private long seed = 42;
        private int port;

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

        public ClusterSpec build() {
            return new ClusterSpec(pods, namespaces, seed, port);
        }
    }
}
