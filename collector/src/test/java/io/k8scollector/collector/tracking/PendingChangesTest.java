package io.k8scollector.collector.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.RecordKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PendingChangesTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final RecordKey WEB = RecordKey.object("uid-web", "v1", "Pod", "shop", "web");
    private static final RecordKey DB = RecordKey.object("uid-db", "v1", "Pod", "shop", "db");

    private static byte[] record(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void changesOfOneKeyCoalesceToTheLatestKeepingTheFirstSeenTimeAndPlace() {
        PendingChanges pending = new PendingChanges(1 << 20);
        pending.upsert(WEB, record("{\"v\":1}"), T0);
        pending.upsert(DB, record("{\"db\":1}"), T0.plusSeconds(1));
        pending.upsert(WEB, record("{\"v\":2}"), T0.plusSeconds(2));

        PendingChanges.Batch batch = pending.drain();

        assertThat(batch.upserts()).extracting(PendingChanges.Change::key).containsExactly(WEB, DB);
        assertThat(new String(batch.upserts().get(0).record(), StandardCharsets.UTF_8)).isEqualTo("{\"v\":2}");
        assertThat(batch.upserts().get(0).seen()).isEqualTo(T0);
        assertThat(batch.oldestSeen()).isEqualTo(T0);
        assertThat(batch.deletions()).isEmpty();
        assertThat(pending.size()).isZero();
        assertThat(pending.bytes()).isZero();
        assertThat(pending.drain().isEmpty()).isTrue();
    }

    @Test
    void aDeletionReplacesAPendingUpsertSoThatNoKeyIsBothSentAndDeleted() {
        PendingChanges pending = new PendingChanges(1 << 20);
        pending.upsert(WEB, record("{}"), T0);
        pending.delete(Deletion.object("uid-web", "v1", "Pod", "shop", "web"), T0.plusSeconds(1));

        PendingChanges.Batch batch = pending.drain();

        assertThat(batch.upserts()).isEmpty();
        assertThat(batch.deletions()).singleElement().satisfies(change -> {
            assertThat(change.key()).isEqualTo(WEB);
            assertThat(change.deletion().name()).isEqualTo("web");
            assertThat(change.seen()).isEqualTo(T0);
        });
    }

    @Test
    void bytesAreCountedAgainstTheBudgetAndAReplacementCountsOnlyItsGrowth() {
        PendingChanges pending = new PendingChanges(1 << 20);
        pending.upsert(WEB, new byte[1000], T0);
        long one = 1000 + WEB.value().length() + PendingChanges.ENTRY_OVERHEAD_BYTES;
        assertThat(pending.bytes()).isEqualTo(one);

        pending.upsert(WEB, new byte[400], T0);

        assertThat(pending.bytes()).isEqualTo(one - 600);
        assertThat(pending.size()).isOne();
    }

    @Test
    void pastTheBudgetNothingIsKeptUntilTheCallerDropsEverythingToResync() {
        PendingChanges pending = new PendingChanges(3000);
        assertThat(pending.upsert(WEB, new byte[1500], T0)).isTrue();

        assertThat(pending.upsert(DB, new byte[1500], T0)).isFalse();
        assertThat(pending.overflowed()).isTrue();
        assertThat(pending.delete(Deletion.object("uid-db", "v1", "Pod", "shop", "db"), T0)).isFalse();
        assertThat(pending.size()).isOne();

        pending.dropAll();

        assertThat(pending.overflowed()).isFalse();
        assertThat(pending.size()).isZero();
        assertThat(pending.bytes()).isZero();
        assertThat(pending.upsert(DB, new byte[1500], T0)).isTrue();
    }

    @Test
    void aBudgetMustHoldSomething() {
        assertThatThrownBy(() -> new PendingChanges(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }

    @Test
    void aBatchPutBackKeepsItsChangesUnlessANewerOneOfTheSameKeyIsPending() {
        PendingChanges pending = new PendingChanges(1 << 20);
        pending.upsert(WEB, record("{\"v\":1}"), T0);
        pending.upsert(DB, record("{\"db\":1}"), T0);
        PendingChanges.Batch unshipped = pending.drain();
        pending.delete(Deletion.object("uid-web", "v1", "Pod", "shop", "web"), T0.plusSeconds(5));

        assertThat(pending.putBack(unshipped)).isTrue();

        PendingChanges.Batch again = pending.drain();
        assertThat(again.upserts()).singleElement().satisfies(change -> {
            assertThat(change.key()).isEqualTo(DB);
            assertThat(new String(change.record(), StandardCharsets.UTF_8)).isEqualTo("{\"db\":1}");
        });
        assertThat(again.deletions()).singleElement().satisfies(change -> {
            assertThat(change.key()).isEqualTo(WEB);
            assertThat(change.seen()).as("the lag counts from the first change").isEqualTo(T0);
        });
    }

    @Test
    void aBatchPutBackPastTheBudgetOverflows() {
        PendingChanges pending = new PendingChanges(1500);
        pending.upsert(WEB, new byte[1000], T0);
        PendingChanges.Batch unshipped = pending.drain();
        pending.upsert(DB, new byte[1000], T0.plusSeconds(1));

        assertThat(pending.putBack(unshipped)).isFalse();
        assertThat(pending.overflowed()).isTrue();
    }
}
