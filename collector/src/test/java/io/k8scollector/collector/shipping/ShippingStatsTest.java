package io.k8scollector.collector.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ShippingStatsTest {

    @Test
    void describesItselfInOneLineWithRetriesInNameOrder() {
        ShippingStats stats = new ShippingStats(685, 350_500_000, 75_500_000, Map.of("503", 2L, "401-relogin", 1L));

        assertThat(stats.describe())
                .isEqualTo("685 pages, 350.5 MB before gzip, 75.5 MB after (4.6x), retries: 401-relogin=1, 503=2");
    }

    @Test
    void saysWhenNothingWasRetried() {
        assertThat(new ShippingStats(1, 2_000_000, 500_000, Map.of()).describe()).endsWith("retries: none");
    }

    @Test
    void saysWhenNoPageWasSentAsInADryRun() {
        assertThat(new ShippingStats(0, 2_500_000, 2_500_000, Map.of()).describe())
                .isEqualTo("no pages sent (2.5 MB of records)");
    }
}
