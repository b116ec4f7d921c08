package io.k8scollector.collector.shipping;

import java.util.Map;

/**
 * What a sink did in one run, for the run summary.
 *
 * @param pages requests that carried records and were accepted
 * @param bytesBeforeCompression serialised page bodies, before gzip
 * @param bytesAfterCompression what went on the wire (equal to the former when not compressed)
 * @param retriesByCause repeated requests by cause: an HTTP status ({@code 429}, {@code 503}...),
 *     {@code io} (connection error), {@code timeout}, {@code 401-relogin}, {@code 413-split} (a page
 *     cut in two), {@code 415-plain} (gzip refused, sent plain)
 */
public record ShippingStats(
        long pages, long bytesBeforeCompression, long bytesAfterCompression, Map<String, Long> retriesByCause) {

    public ShippingStats {
        retriesByCause = Map.copyOf(retriesByCause);
    }
}
