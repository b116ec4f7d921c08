package io.k8scollector.collector.shipping;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The running figures behind {@link ShippingStats}; safe to update from every sending thread. */
final class ShippingTally {

    private final LongAdder pages = new LongAdder();
    private final LongAdder before = new LongAdder();
    private final LongAdder after = new LongAdder();
    private final Map<String, LongAdder> retries = new ConcurrentHashMap<>();

    void page(long plainBytes, long wireBytes) {
        pages.increment();
        before.add(plainBytes);
        after.add(wireBytes);
    }

    void retry(String cause) {
        retries.computeIfAbsent(cause, c -> new LongAdder()).increment();
    }

    ShippingStats stats() {
        Map<String, Long> byCause = new TreeMap<>();
        retries.forEach((cause, n) -> byCause.put(cause, n.sum()));
        return new ShippingStats(pages.sum(), before.sum(), after.sum(), byCause);
    }
}
