package io.k8scollector.collector.enrichment;

import static io.k8scollector.testkit.KubeObjects.identified;
import static io.k8scollector.testkit.KubeObjects.owned;
import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.tracking.IndexedObject;
import io.k8scollector.collector.watching.ObjectHead;
import io.k8scollector.collector.watching.ObjectHead.Owner;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKey;
import io.k8scollector.protocol.TreeNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

class ObjectIndexTest {

    private static final List<String> VERBS = List.of("get", "list", "watch");
    private static final ResourceType PODS = new ResourceType("", "v1", "Pod", "pods", true, VERBS);
    private static final ResourceType POD_METRICS = new ResourceType("metrics.k8s.io", "v1beta1", "PodMetrics", "pods", true, VERBS);
    private static final ResourceType NODES = new ResourceType("", "v1", "Node", "nodes", false, VERBS);

    private static ObjectHead pod(String uid, String namespace, String name, String version, List<Owner> owners) {
        return new ObjectHead(uid, "v1", "Pod", namespace, name, version, owners);
    }

    @Test
    void keepsIdentityAndVersionAndGivesThemBackByKey() {
        ObjectIndex index = new ObjectIndex();
        String uid = UUID.randomUUID().toString();
        index.put(PODS, pod(uid, "shop", "web-1", "5132", List.of(new Owner(UUID.randomUUID().toString(), true))));

        IndexedObject found = index.get(RecordKey.object(uid, "v1", "Pod", "shop", "web-1"));

        assertThat(found).isEqualTo(new IndexedObject(PODS, uid, "shop", "web-1", "5132"));
        assertThat(found.key()).isEqualTo(RecordKey.object(uid, null, null, null, null));
        assertThat(found.deletion()).isEqualTo(Deletion.object(uid, "v1", "Pod", "shop", "web-1"));
        assertThat(index.get(found.key()).resourceVersion()).isEqualTo("5132");
    }

    @Test
    void aLaterPutOfTheSameKeyReplacesTheVersion() {
        ObjectIndex index = new ObjectIndex();
        String uid = UUID.randomUUID().toString();
        index.put(PODS, pod(uid, "shop", "web-1", "1", List.of()));
        index.put(PODS, pod(uid, "shop", "web-1", "2", List.of()));

        assertThat(index.size()).isOne();
        assertThat(index.get(RecordKey.object(uid, null, null, null, null)).resourceVersion()).isEqualTo("2");
    }

    @Test
    void objectsWithoutAUuidAreKeptByTheirKeyAndOddVersionsAsText() {
        ObjectIndex index = new ObjectIndex();
        ObjectHead metrics = new ObjectHead("", "metrics.k8s.io/v1beta1", "PodMetrics", "shop", "web-1", "0042", List.of());
        ObjectHead oddUid = pod("not-a-uuid", "shop", "odd", "v7", List.of(new Owner("owner-text", true)));
        ObjectHead node = new ObjectHead(UUID.randomUUID().toString(), "v1", "Node", "", "node-1", "9", List.of());
        index.put(POD_METRICS, metrics);
        index.put(PODS, oddUid);
        index.put(NODES, node);

        assertThat(index.get(metrics.key())).isEqualTo(new IndexedObject(POD_METRICS, "", "shop", "web-1", "0042"));
        assertThat(index.get(metrics.key()).deletion()).isEqualTo(
                Deletion.object(null, "metrics.k8s.io/v1beta1", "PodMetrics", "shop", "web-1"));
        assertThat(index.get(oddUid.key()).uid()).isEqualTo("not-a-uuid");
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
            index.put(PODS, head);
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
        assertThat(index.ofType(PODS)).hasSize(index.size());
    }

    @Test
    void aListingRoundFindsWhatItDidNotSeeOfItsTypeAndGivesTheShippedVersions() {
        ObjectIndex index = new ObjectIndex();
        ObjectHead kept = pod(UUID.randomUUID().toString(), "shop", "kept", "10", List.of());
        ObjectHead gone = pod(UUID.randomUUID().toString(), "shop", "gone", "11", List.of());
        ObjectHead node = new ObjectHead(UUID.randomUUID().toString(), "v1", "Node", "", "node-1", "9", List.of());
        index.put(PODS, kept);
        index.put(PODS, gone);
        index.put(NODES, node);

        assertThat(index.listed(kept.key(), 1)).isEqualTo("10");
        assertThat(index.listed(pod(UUID.randomUUID().toString(), "shop", "new", "12", List.of()).key(), 1)).isNull();

        assertThat(index.unlisted(PODS, 1)).extracting(IndexedObject::name).containsExactly("gone");
        assertThat(index.unlisted(NODES, 1)).extracting(IndexedObject::name).containsExactly("node-1");
        assertThat(index.listed(gone.key(), 2)).isEqualTo("11");
        assertThat(index.unlisted(PODS, 2)).extracting(IndexedObject::name).containsExactly("kept");
    }

    @Test
    void anObjectInBothPartsStaysUntilBothLetItGo() {
        ObjectIndex index = new ObjectIndex();
        OwnershipTree trees = new OwnershipTree(index);
        ObjectNode replicaSet = identified("apps/v1", "ReplicaSet", "shop", "web");
        ObjectNode pod = owned(identified("v1", "Pod", "shop", "web-a"), replicaSet, true);
        trees.observe(replicaSet);
        trees.observe(pod);
        index.put(PODS, ObjectHead.of(pod));

        trees.forget(pod.path("metadata").path("uid").asString());
        assertThat(trees.roots()).isEmpty();
        assertThat(index.get(ObjectHead.of(pod).key())).isNotNull();

        trees.replace(pod);
        assertThat(trees.roots()).singleElement().satisfies(root ->
                assertThat(root.children()).extracting(TreeNode::name).containsExactly("web-a"));
        assertThat(index.remove(ObjectHead.of(pod).key())).isNotNull();
        assertThat(trees.roots()).hasSize(1);
        assertThat(index.size()).isZero();
    }

    /**
     * Random puts, removals, listing rounds and tree changes on one index, against the oracle of a
     * plain map of what was shipped and a fresh tree of the objects in the trees.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void agreesWithAMapOfWhatWasShippedAndAFreshTreeAfterRandomChanges(long seed) {
        Random random = new Random(seed);
        List<String> uids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            uids.add(i % 11 == 0 ? "" : i % 13 == 0 ? "odd-uid-" + i : new UUID(random.nextLong(), random.nextLong()).toString());
        }
        ObjectIndex index = new ObjectIndex();
        OwnershipTree trees = new OwnershipTree(index);
        Map<RecordKey, IndexedObject> shipped = new HashMap<>();
        Map<String, ObjectNode> inTrees = new HashMap<>();
        int round = 0;
        for (int step = 0; step < 3000; step++) {
            int u = random.nextInt(uids.size());
            String uid = uids.get(u);
            String name = "obj-" + u;
            ObjectHead head = pod(uid, "ns-" + (u % 3), name, Integer.toString(random.nextInt(50)), List.of());
            switch (random.nextInt(6)) {
                case 0, 1 -> {
                    index.put(PODS, head);
                    shipped.put(head.key(), new IndexedObject(PODS, uid, head.namespace(), name, head.resourceVersion()));
                }
                case 2 -> assertThat(index.remove(head.key())).isEqualTo(shipped.remove(head.key()));
                case 3 -> {
                    if (!uid.isEmpty()) {
                        ObjectNode object = identified("v1", "Pod", head.namespace(), name);
                        object.withObject("metadata").put("uid", uid);
                        if (random.nextBoolean()) {
                            String owner = uids.get(random.nextInt(uids.size()));
                            if (!owner.isEmpty()) {
                                object.withObject("metadata").putArray("ownerReferences").addObject().put("uid", owner)
                                        .put("controller", true);
                            }
                        }
                        trees.replace(object);
                        inTrees.put(uid, object);
                    }
                }
                case 4 -> {
                    trees.forget(uid);
                    inTrees.remove(uid);
                }
                default -> {
                    round++;
                    Set<RecordKey> seen = new HashSet<>();
                    for (RecordKey key : shipped.keySet()) {
                        if (random.nextBoolean()) {
                            assertThat(index.listed(key, round)).isEqualTo(shipped.get(key).resourceVersion());
                            seen.add(key);
                        }
                    }
                    assertThat(index.unlisted(PODS, round)).containsExactlyInAnyOrderElementsOf(shipped.entrySet().stream()
                            .filter(entry -> !seen.contains(entry.getKey())).map(Map.Entry::getValue).toList());
                }
            }
            assertThat(index.get(head.key())).as("seed %d, step %d", seed, step).isEqualTo(shipped.get(head.key()));
        }
        assertThat(index.size()).isEqualTo(shipped.size());
        assertThat(index.ofType(PODS)).containsExactlyInAnyOrderElementsOf(shipped.values());
        for (Map.Entry<RecordKey, IndexedObject> entry : shipped.entrySet()) {
            assertThat(index.get(entry.getKey()).resourceVersion()).isEqualTo(entry.getValue().resourceVersion());
        }
        OwnershipTree fresh = new OwnershipTree();
        inTrees.values().forEach(fresh::observe);
        assertThat(json(trees.roots())).as("seed %d", seed).isEqualTo(json(fresh.roots()));
    }

    private static Set<String> json(List<TreeNode> roots) {
        return roots.stream().map(Json.MAPPER::writeValueAsString).collect(Collectors.toSet());
    }

    /**
     * A rough heap count of 100,000 pods as a cluster has them (a UUID, a generated name, one of 20
     * namespaces, one controller owner), each both in the trees and shipped, as a continuous run
     * keeps them: the figure in docs/continuous.md comes from this test's output.
     */
    @Test
    void aHundredThousandPodsCostAboutOneHundredAndFiftyBytesEach() {
        int count = 100_000;
        Random random = new Random(1);
        List<ObjectNode> pods = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ObjectNode pod = identified("v1", "Pod", "app-" + (i % 20),
                    "web-" + Integer.toHexString(random.nextInt()) + "-" + Integer.toString(i, 36));
            pod.withObject("metadata").put("uid", new UUID(random.nextLong(), random.nextLong()).toString())
                    .put("resourceVersion", Integer.toString(1_000_000 + i));
            pod.withObject("metadata").putArray("ownerReferences").addObject()
                    .put("uid", new UUID(random.nextLong(), random.nextLong()).toString()).put("controller", true);
            pods.add(pod);
        }
        long before = usedHeap();
        ObjectIndex index = new ObjectIndex();
        OwnershipTree trees = new OwnershipTree(index);
        for (ObjectNode pod : pods) {
            trees.observe(pod);
            index.put(PODS, ObjectHead.of(pod));
        }
        long after = usedHeap();
        long perObject = (after - before) / count;
        System.out.println("ObjectIndex: about " + perObject + " bytes per pod (trees and shipped) for " + index.size()
                + " pods");

        // both stay reachable past the second count, so that neither is collected inside it
        assertThat(index.size()).isEqualTo(pods.size());
        assertThat(trees.cut()).isZero();
        assertThat(perObject).isPositive().isLessThan(200);
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
}
