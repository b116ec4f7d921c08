package io.k8scollector.collector.listing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EmittedObjectsTest {

    @Test
    void takesEachUidOnceThroughManyGrowths() {
        EmittedObjects emitted = new EmittedObjects();
        List<String> uids = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            uids.add(UUID.randomUUID().toString());
        }

        assertThat(uids).allMatch(emitted::add);
        assertThat(uids).noneMatch(emitted::add);
        assertThat(emitted.size()).isEqualTo(50_000);
    }

    @Test
    void tellsApartUidsThatDifferInAnyGroupAndKeepsOtherIdentitiesAsText() {
        EmittedObjects emitted = new EmittedObjects();

        assertThat(emitted.add("00000000-0000-0000-0000-000000000000")).isTrue();
        assertThat(emitted.add("00000000-0000-0000-0000-000000000000")).isFalse();
        assertThat(emitted.add("00000000-0000-0000-0000-000000000001")).isTrue();
        assertThat(emitted.add("00000000-0000-0000-0001-000000000000")).isTrue();
        assertThat(emitted.add("00000000-0000-0001-0000-000000000000")).isTrue();
        assertThat(emitted.add("00000000-0001-0000-0000-000000000000")).isTrue();
        assertThat(emitted.add("00000001-0000-0000-0000-000000000000")).isTrue();
        assertThat(emitted.add("6F1C1D0E-8F0A-4A57-9D43-1C2B3A4D5E6F")).isTrue();
        assertThat(emitted.add("6f1c1d0e-8f0a-4a57-9d43-1c2b3a4d5e6f")).isTrue();
        assertThat(emitted.add("shop/web-0")).isTrue();
        assertThat(emitted.add("shop/web-0")).isFalse();
        assertThat(emitted.size()).isEqualTo(9);
    }
}
