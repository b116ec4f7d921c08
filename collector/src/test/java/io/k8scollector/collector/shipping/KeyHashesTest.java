package io.k8scollector.collector.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyHashesTest {

    @Test
    void countsDistinctHashesAsASetDoes() {
        KeyHashes hashes = new KeyHashes();
        Set<Long> expected = new HashSet<>();
        Random random = new Random(14);
        for (int i = 0; i < 50_000; i++) {
            // a few hashes come again, as a record handed over twice does
            long hash = i % 7 == 0 && i > 0 ? new Random(i / 7).nextLong() : random.nextLong();
            assertThat(hashes.add(hash)).isEqualTo(expected.add(hash));
        }

        assertThat(hashes.size()).isEqualTo(expected.size());
    }

    @Test
    void theHashZeroAndHashesThatShareLowBitsAreKeysLikeAnyOther() {
        KeyHashes hashes = new KeyHashes();

        assertThat(hashes.add(0)).isTrue();
        assertThat(hashes.add(0)).isFalse();
        for (long high = 1; high <= 1000; high++) {
            hashes.add(high << 40);
            hashes.add(high << 40);
        }

        assertThat(hashes.size()).isEqualTo(1001);
    }

    @Test
    void clearForgetsEveryHash() {
        KeyHashes hashes = new KeyHashes();
        for (long i = 0; i < 1000; i++) {
            hashes.add(i);
        }

        hashes.clear();

        assertThat(hashes.size()).isZero();
        assertThat(hashes.add(5)).isTrue();
        assertThat(hashes.size()).isEqualTo(1);
    }
}
