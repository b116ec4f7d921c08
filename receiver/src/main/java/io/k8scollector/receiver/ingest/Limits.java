package io.k8scollector.receiver.ingest;

/**
 * Caps on one request body: its size as sent, its size once inflated, and the JSON nesting
 * depth. Past a size cap the answer is 413, past the depth 400.
 */
public record Limits(long maxCompressedBytes, long maxInflatedBytes, int maxNestingDepth) {

    /**
     * Pages are at most 500 KiB unless one record is larger (objects up to 1500 KB by default),
     * so 16 MiB either way leaves room for any collector setting while bounding memory.
     */
    public static final Limits DEFAULT = new Limits(16L << 20, 16L << 20, 500);
}
