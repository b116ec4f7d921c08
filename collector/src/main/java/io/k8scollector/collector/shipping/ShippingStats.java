package io.k8scollector.collector.shipping;

import java.util.Map;

/**
 * What a sink did in one run, for the run summary.
 *
 * @param pages requests that carried records and were accepted
 * @param bytesBeforeCompression serialised page bodies, before gzip
 * @param bytesAfterCompression what went on the wire (equal to the former when not compressed)
 * @param retriesByCause retried requests by cause ({@code 503}, {@code 401-relogin}, {@code 413-split}, {@code io}...)
 */
public record ShippingStats(
        long pages, long bytesBeforeCompression, long bytesAfterCompression, Map<String, Long> retriesByCause) {

    public ShippingStats {
        retriesByCause = Map.copyOf(retriesByCause);
    }
}
