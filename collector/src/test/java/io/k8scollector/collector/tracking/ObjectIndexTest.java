package io.k8scollector.collector.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.watching.ObjectHead;
import io.k8scollector.collector.watching.ObjectHead.Owner;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.RecordKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ObjectIndexTest {

    private static final List<String> VERBS = List.of("get", "list", "watch");
    private static final ResourceType PODS = new ResourceType("", "v1", "Pod", "pods", true, VERBS);
    private static final ResourceType POD_METRICS = new ResourceType("metrics.k8s.io", "v1beta1", "PodMetrics", "pods", true, VERBS);
    private static final ResourceType NODES = new ResourceType("", "v1", "Node", "nodes", false, VERBS);

    private static ObjectHead pod(String uid, String namespace, String name, String version, List<Owner> owners) {
        return new ObjectHead(uid, "v1", "Pod", namespace, name, version, owners);
    }

    @Test
    void keepsIdentityVersionOwnersAndLinkAndGivesThemBackByKey() {
        ObjectIndex index = new ObjectIndex();
        String uid = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        String controller = UUID.randomUUID().toString();
        index.put(PODS, pod(uid, "shop", "web-1", "5132", List.of(new Owner(other, false), new Owner(controller, true))), "pvc-1");

        IndexedObject found = index.get(RecordKey.object(uid, "v1", "Pod", "shop", "web-1"));

        assertThat(found).isEqualTo(new IndexedObject(PODS, uid, "shop", "web-1", "5132", List.of(other, controller), 1, "pvc-1"));
        assertThat(found.key()).isEqualTo(RecordKey.object(uid, null, null, null, null));
        assertThat(found.deletion()).isEqualTo(Deletion.object(uid, "v1", "Pod", "shop", "web-1"));
        assertThat(index.resourceVersion(found.key())).isEqualTo("5132");
    }

    @Test
    void aLaterPutOfTheSameKeyReplacesTheEntry() {
        ObjectIndex index = new ObjectIndex();
        String uid = UUID.randomUUID().toString();
        index.put(PODS, pod(uid, "shop", "web-1", "1", List.of(new Owner(UUID.randomUUID().toString(), true))), null);
        index.put(PODS, pod(uid, "shop", "web-1", "2", List.of()), null);

        assertThat(index.size()).isOne();
        IndexedObject found = index.get(RecordKey.object(uid, null, null, null, null));
        assertThat(found.resourceVersion()).isEqualTo("2");
        assertThat(found.owners()).isEmpty();
        assertThat(found.controller()).isEqualTo(-1);
    }

    @Test
    void objectsWithoutAUuidAreKeptByTheirKeyAndOddVersionsAsText() {
        ObjectIndex index = new ObjectIndex();
        ObjectHead metrics = new ObjectHead("", "metrics.k8s.io/v1beta1", "PodMetrics", "shop", "web-1", "0042", List.of());
        ObjectHead oddUid = pod("not-a-uuid", "shop", "odd", "v7", List.of(new Owner("owner-text", true)));
        ObjectHead node = new ObjectHead(UUID.randomUUID().toString(), "v1", "Node", "", "node-1", "9", List.of());
        index.put(POD_METRICS, metrics, null);
        index.put(PODS, oddUid, null);
        index.put(NODES, node, null);

        assertThat(index.get(metrics.key())).isEqualTo(new IndexedObject(POD_METRICS, "", "shop", "web-1", "0042", List.of(), -1, null));
        assertThat(index.get(metrics.key()).deletion()).isEqualTo(
                Deletion.object(null, "metrics.k8s.io/v1beta1", "PodMetrics", "shop", "web-1"));
        assertThat(index.get(oddUid.key()).owners()).containsExactly("owner-text");
        assertThat(index.get(oddUid.key()).resourceVersion()).isEqualTo("v7");
        assertThat(index.get(node.key()).deletion().namespace()).isNull();
        assertThat(index.ofType(PODS)).extracting(IndexedObject::name).containsExactly("odd");
    }

    @Test
    void removingKeepsEveryOtherEntryFindableAcrossGrowthAndProbeRuns() {
        ObjectIndex index = new ObjectIndex();
        Random random = new Random(3);
        List<ObjectHead> heads = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            ObjectHead head = pod(new UUID(random.nextLong(), random.nextLong()).toString(), "ns-" + (i % 7), "p-" + i, "" + (i + 1),
                    List.of());
            heads.add(head);
            index.put(PODS, head, null);
        }
        Set<RecordKey> removed = new HashSet<>();
        for (int i = 0; i < heads.size(); i += 3) {
            assertThat(index.remove(heads.get(i).key())).isNotNull();
            removed.add(heads.get(i).key());
        }

        assertThat(index.size()).isEqualTo(heads.size() - removed.size());
        for (ObjectHead head : heads) {
            IndexedObject found = index.get(head.key());
            if (removed.contains(head.key())) {
                assertThat(found).isNull();
            } else {
                assertThat(found.name()).isEqualTo(head.name());
            }
        }
        assertThat(index.remove(heads.get(0).key())).isNull();
        List<String> visited = new ArrayList<>();
        index.forEach(object -> visited.add(object.name()));
        assertThat(visited).hasSize(index.size());
    }

    /**
     * A rough heap count of 100,000 pods as a cluster has them (a UUID, a generated name, one of 20
     * namespaces, one controller owner): the figure in docs/continuous.md comes from this test's output.
     */
    @Test
    void aHundredThousandPodsCostAFewHundredBytesEach() {
        int count = 100_000;
        Random random = new Random(1);
        List<ObjectHead> heads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String owner = new UUID(random.nextLong(), random.nextLong()).toString();
            heads.add(pod(new UUID(random.nextLong(), random.nextLong()).toString(), "app-" + (i % 20),
                    "web-" + Integer.toHexString(random.nextInt()) + "-" + Integer.toString(i, 36), Integer.toString(1_000_000 + i),
                    List.of(new Owner(owner, true))));
        }
        long before = usedHeap();
        ObjectIndex index = new ObjectIndex();
        for (ObjectHead head : heads) {
            index.put(PODS, head, null);
        }
        long after = usedHeap();
        long perObject = (after - before) / count;
        System.out.println("ObjectIndex: about " + perObject + " bytes per pod for " + index.size() + " pods");

        // both stay reachable past the second count, so that neither is collected inside it
        assertThat(index.size()).isEqualTo(heads.size());
        assertThat(perObject).isPositive().isLessThan(300);
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }

    @Test
    void aListingRoundFindsWhatItDidNotSeeOfItsTypeAndGivesTheShippedVersions() {
        ObjectIndex index = new ObjectIndex();
        ObjectHead kept = pod(UUID.randomUUID().toString(), "shop", "kept", "10", List.of());
        ObjectHead gone = pod(UUID.randomUUID().toString(), "shop", "gone", "11", List.of());
        ObjectHead node = new ObjectHead(UUID.randomUUID().toString(), "v1", "Node", "", "node-1", "9", List.of());
        index.put(PODS, kept, null);
        index.put(PODS, gone, null);
        index.put(NODES, node, null);

        assertThat(index.listed(kept.key(), 1)).isEqualTo("10");
        assertThat(index.listed(pod(UUID.randomUUID().toString(), "shop", "new", "12", List.of()).key(), 1)).isNull();

        assertThat(index.unlisted(PODS, 1)).extracting(IndexedObject::name).containsExactly("gone");
        assertThat(index.unlisted(NODES, 1)).extracting(IndexedObject::name).containsExactly("node-1");
        assertThat(index.listed(gone.key(), 2)).isEqualTo("11");
        assertThat(index.unlisted(PODS, 2)).extracting(IndexedObject::name).containsExactly("kept");
    }
}
