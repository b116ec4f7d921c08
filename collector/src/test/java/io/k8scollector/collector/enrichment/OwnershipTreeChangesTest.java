package io.k8scollector.collector.enrichment;

import static io.k8scollector.testkit.KubeObjects.identified;
import static io.k8scollector.testkit.KubeObjects.object;
import static io.k8scollector.testkit.KubeObjects.owned;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.TreeNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The trees kept up to date change by change ({@link OwnershipTree#changes()}) against the oracle
 * of a fresh {@link OwnershipTree} built from the objects as they are at the end.
 */
class OwnershipTreeChangesTest {

    @Test
    void namesOnlyTheTreeOfAPodThatCameAndNoneForARelabelledOne() {
        OwnershipTree tree = new OwnershipTree();
        List<ObjectNode> replicaSets = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ObjectNode replicaSet = identified("apps/v1", "ReplicaSet", "shop", "web-" + i);
            replicaSets.add(replicaSet);
            tree.observe(replicaSet);
            tree.observe(owned(identified("v1", "Pod", "shop", "web-" + i + "-a"), replicaSet, true));
        }
        ObjectNode pod = owned(identified("v1", "Pod", "shop", "web-7-b"), replicaSets.get(7), true);

        tree.replace(pod);
        List<OwnershipTree.Change> created = tree.changes();
        pod.withObject("metadata").putObject("labels").put("phase", "b");
        tree.replace(pod);
        List<OwnershipTree.Change> relabelled = tree.changes();

        assertThat(created).singleElement().satisfies(change -> {
            assertThat(change.root()).isEqualTo(uid(replicaSets.get(7)));
            assertThat(change.tree().children()).extracting(TreeNode::name).containsExactly("web-7-a", "web-7-b");
        });
        assertThat(relabelled).isEmpty();
    }

    @Test
    void givesAServiceThatComesItsEndpointsAndDeletesItsTreeWhenItGoes() {
        OwnershipTree tree = new OwnershipTree();
        ObjectNode endpoints = identified("v1", "Endpoints", "shop", "web");
        ObjectNode slice = identified("discovery.k8s.io/v1", "EndpointSlice", "shop", "web-x1");
        slice.withObject("metadata").putObject("labels").put("kubernetes.io/service-name", "web");
        List.of(endpoints, slice).forEach(tree::observe);
        ObjectNode service = identified("v1", "Service", "shop", "web");

        tree.replace(service);
        List<OwnershipTree.Change> came = tree.changes();
        tree.forget(uid(service));
        List<OwnershipTree.Change> went = tree.changes();

        assertThat(came).filteredOn(change -> change.tree() != null).singleElement().satisfies(change -> {
            assertThat(change.root()).isEqualTo(uid(service));
            assertThat(change.tree().children()).extracting(TreeNode::kind).containsExactly("EndpointSlice", "Endpoints");
        });
        assertThat(went).contains(new OwnershipTree.Change(uid(service), null)).allMatch(change -> change.tree() == null);
    }

    @Test
    void movesASubtreeWhoseRootGetsAnOwner() {
        OwnershipTree tree = new OwnershipTree();
        ObjectNode deployment = identified("apps/v1", "Deployment", "shop", "web");
        ObjectNode replicaSet = identified("apps/v1", "ReplicaSet", "shop", "web-1");
        ObjectNode pod = owned(identified("v1", "Pod", "shop", "web-1-a"), replicaSet, true);
        ObjectNode sibling = owned(identified("apps/v1", "ReplicaSet", "shop", "web-0"), deployment, true);
        List.of(deployment, replicaSet, pod, sibling).forEach(tree::observe);

        tree.replace(owned(replicaSet.deepCopy(), deployment, true));

        Map<String, TreeNode> changed = new HashMap<>();
        tree.changes().forEach(change -> changed.put(change.root(), change.tree()));
        assertThat(changed).containsOnlyKeys(uid(deployment), uid(replicaSet)).containsEntry(uid(replicaSet), null);
        assertThat(changed.get(uid(deployment)).children()).extracting(TreeNode::name).containsExactly("web-0", "web-1");
        assertThat(changed.get(uid(deployment)).children().get(1).children()).extracting(TreeNode::name)
                .containsExactly("web-1-a");
    }

    @Test
    void cutsAChangedChainDeeperThanTwoHundredLevelsAsAFullBuildCutsIt() {
        OwnershipTree tree = new OwnershipTree();
        List<ObjectNode> chain = new ArrayList<>();
        chain.add(identified("example.com/v1", "Link", "chain", "link-0"));
        for (int i = 1; i < 250; i++) {
            chain.add(owned(identified("example.com/v1", "Link", "chain", "link-" + i), chain.get(i - 1), true));
        }
        chain.forEach(tree::observe);
        Map<String, String> shipped = json(tree.roots());
        ObjectNode branch = owned(identified("example.com/v1", "Link", "chain", "branch"), chain.get(120), true);

        tree.forget(uid(chain.get(240)));
        tree.replace(branch);
        apply(tree.changes(), shipped);

        List<ObjectNode> last = new ArrayList<>(chain);
        last.remove(240);
        last.add(branch);
        assertThat(shipped).isEqualTo(json(fresh(last, new Random(1))));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void endsWithTheTreesAFreshBuildOfTheLastObjectsGivesAfterRandomChanges(long seed) {
        Random random = new Random(seed);
        Universe universe = new Universe(random);
        Map<String, ObjectNode> objects = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            ObjectNode object = universe.any();
            objects.put(uid(object), object);
        }
        OwnershipTree live = new OwnershipTree();
        objects.values().forEach(live::observe);
        Map<String, String> shipped = json(live.roots());

        for (int step = 0; step < 400; step++) {
            if (random.nextInt(4) == 0 && !objects.isEmpty()) {
                String gone = new ArrayList<>(objects.keySet()).get(random.nextInt(objects.size()));
                objects.remove(gone);
                live.forget(gone);
            } else {
                ObjectNode object = universe.any();
                objects.put(uid(object), object);
                live.replace(object);
            }
            if (random.nextInt(8) == 0) {
                apply(live.changes(), shipped);
                assertThat(shipped).as("seed %d, step %d", seed, step).isEqualTo(json(fresh(objects.values(), random)));
            }
        }
        apply(live.changes(), shipped);
        assertThat(shipped).as("seed %d, at the end", seed).isEqualTo(json(fresh(objects.values(), random)));
    }

    /**
     * Objects drawn from small pools of uids, names and links, so that random changes hit every
     * rule: owners that come and go (the controller's or not, cycles, the object itself), Services
     * that take and leave Endpoints and slices, StatefulSets whose templates make the same claim
     * name, claims bound to the same volume, non-canonical uids.
     */
    private static final class Universe {

        private final Random random;
        private final List<String> uids = new ArrayList<>();
        private final Map<String, ObjectNode> shapes = new HashMap<>();

        Universe(Random random) {
            this.random = random;
            for (int i = 0; i < 40; i++) {
                uids.add(i % 13 == 0 ? "not-a-uuid-" + i : new UUID(random.nextLong(), random.nextLong()).toString());
            }
        }

        /** A random object of a random uid of the pool: a new one, or a change of the object of that uid. */
        ObjectNode any() {
            String uid = pick(uids);
            ObjectNode shape = shapes.computeIfAbsent(uid, this::shape);
            ObjectNode object = shape.deepCopy();
            object.withObject("metadata").put("uid", uid);
            String kind = object.get("kind").stringValue();
            switch (kind) {
                case "EndpointSlice" -> {
                    if (random.nextBoolean()) {
                        object.withObject("metadata").putObject("labels").put("kubernetes.io/service-name",
                                pick(List.of("web", "db")));
                    }
                }
                case "StatefulSet" -> {
                    ArrayNode templates = object.withObject("spec").putArray("volumeClaimTemplates");
                    for (int i = random.nextInt(3); i > 0; i--) {
                        templates.addObject().putObject("metadata").put("name", pick(List.of("data", "data-x")));
                    }
                }
                case "PersistentVolumeClaim" -> object.withObject("spec").put("volumeName", pick(List.of("pv-1", "pv-2", "")));
                default -> { }
            }
            if (random.nextInt(3) > 0) {
                for (int i = random.nextInt(3) + 1; i > 0; i--) {
                    object.withObject("metadata").withArray("ownerReferences").addObject()
                            .put("uid", pick(uids)).put("controller", random.nextInt(3) == 0);
                }
            }
            return object;
        }

        /** What a uid keeps through its changes: its apiVersion, kind, namespace and name. */
        private ObjectNode shape(String uid) {
            String namespace = pick(List.of("shop", "bank"));
            return switch (random.nextInt(10)) {
                case 0 -> object("v1", "Service", namespace, pick(List.of("web", "db")));
                case 1 -> object("v1", "Endpoints", namespace, pick(List.of("web", "db")));
                case 2 -> object("discovery.k8s.io/v1", "EndpointSlice", namespace, "slice-" + uid);
                case 3 -> object("apps/v1", "StatefulSet", namespace, pick(List.of("db", "x-db")));
                case 4 -> object("v1", "PersistentVolumeClaim", namespace,
                        pick(List.of("data-db-0", "data-x-db-0", "data-x-db-1")));
                case 5 -> object("v1", "PersistentVolume", null, pick(List.of("pv-1", "pv-2")));
                case 6 -> object("apps/v1", "ReplicaSet", namespace, "rs-" + uid);
                case 7 -> object("example.com/v1", "Service", namespace, "web");
                default -> object("v1", "Pod", namespace, "pod-" + uid);
            };
        }

        private <T> T pick(List<T> choices) {
            return choices.get(random.nextInt(choices.size()));
        }
    }

    /** What a continuous run does with changes: a tree sent again, or deleted. */
    private static void apply(List<OwnershipTree.Change> changes, Map<String, String> shipped) {
        for (OwnershipTree.Change change : changes) {
            if (change.tree() == null) {
                shipped.remove(change.root());
            } else {
                assertThat(change.tree().uid()).isEqualTo(change.root());
                shipped.put(change.root(), Json.MAPPER.writeValueAsString(change.tree()));
            }
        }
    }

    /** The roots of a fresh tree of {@code objects}, observed in a random order. */
    private static List<TreeNode> fresh(Collection<ObjectNode> objects, Random random) {
        List<ObjectNode> order = new ArrayList<>(objects);
        Collections.shuffle(order, random);
        OwnershipTree fresh = new OwnershipTree();
        order.forEach(fresh::observe);
        return fresh.roots();
    }

    private static Map<String, String> json(List<TreeNode> roots) {
        Map<String, String> byRoot = new HashMap<>();
        roots.forEach(root -> byRoot.put(root.uid(), Json.MAPPER.writeValueAsString(root)));
        return byRoot;
    }

    private static String uid(ObjectNode object) {
        return object.at("/metadata/uid").stringValue();
    }
}
