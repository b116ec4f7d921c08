package io.k8scollector.collector.shipping;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

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

    /**
     * One line for the run summary: {@code 685 pages, 350.5 MB before gzip, 75.5 MB after (4.6x),
     * retries: 401-relogin=1, 503=2} ({@code retries: none} when there were none).
     */
    public String describe() {
        if (pages == 0) {
            return String.format(Locale.ROOT, "no pages sent (%.1f MB of records)", bytesBeforeCompression / 1e6);
        }
        String retries = retriesByCause.isEmpty() ? "none" : new TreeMap<>(retriesByCause).entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(", "));
        double ratio = bytesAfterCompression == 0 ? 1 : (double) bytesBeforeCompression / bytesAfterCompression;
        return String.format(Locale.ROOT, "%d pages, %.1f MB before gzip, %.1f MB after (%.1fx), retries: %s",
                pages, bytesBeforeCompression / 1e6, bytesAfterCompression / 1e6, ratio, retries);
    }
}
