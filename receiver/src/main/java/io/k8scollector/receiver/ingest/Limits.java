package io.k8scollector.receiver.ingest;

/**
 * Caps on one request body: its size as sent, its size once inflated, and the JSON nesting
 * depth. Past a size cap the answer is 413, past the depth 400. A refused body is still read
 * and thrown away up to {@code drainBytes} more, so that a client still sending it reads the
 * answer instead of a reset connection.
 */
public record Limits(long maxCompressedBytes, long maxInflatedBytes, int maxNestingDepth, long drainBytes) {

    /**
     * Pages are at most 500 KiB unless one record is larger (objects up to 1500 KB by default),
     * so 16 MiB either way leaves room for any collector setting while bounding memory.
     */
    public static final Limits DEFAULT = new Limits(16L << 20, 16L << 20, 500, 16L << 20);

    /**
     * A login is two short strings: 4 KiB, as sent and inflated, is room for any key pair and
     * keeps an unauthenticated request cheap. Up to 1 MiB of a larger one is read away for its 413.
     */
    public static final Limits LOGIN = new Limits(4L << 10, 4L << 10, 8, 1L << 20);
}
