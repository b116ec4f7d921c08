package io.k8scollector.bench;

import io.k8scollector.collector.enrichment.OwnershipTree;
import io.k8scollector.protocol.TreeNode;
import io.k8scollector.testkit.KubeObjects;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ownership trees of a 100k-pod cluster in a 128 MB heap: 1,000 Deployments, each with 2
 * ReplicaSets (one scaled to zero) and 100 pods, every object streamed by as a fresh tree of
 * realistic metadata and dropped after {@code observe}, then {@code roots()}. One operation is the
 * whole cluster; a heap too small for the references kept fails the run. And a continuous run's
 * flush over that cluster after one pod came and one went.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx128m")
public class OwnershipTreeBenchmark {

    private static final int DEPLOYMENTS = 1_000;
    private static final int PODS_PER_DEPLOYMENT = 100;

    @Benchmark
    public List<TreeNode> observe100kPodsThenBuild() {
        OwnershipTree tree = new OwnershipTree();
        observeCluster(tree);
        List<TreeNode> roots = tree.roots();
        if (roots.size() != DEPLOYMENTS) {
            throw new IllegalStateException(roots.size() + " roots, not " + DEPLOYMENTS);
        }
        return roots;
    }

    /**
     * A continuous run's flush over the same cluster: one pod created and one deleted under the
     * first Deployment's ReplicaSet, then {@code changes()}, which builds that one tree again.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<OwnershipTree.Change> podCreatedAndDeletedThenChanges(Live live) {
        ObjectNode pod = object("v1", "Pod", "team-0", "app-0-7d9f8b6c5d-" + live.next++, live.replicaSet);
        live.tree.replace(pod);
        live.pods.addLast(pod.at("/metadata/uid").stringValue());
        live.tree.forget(live.pods.removeFirst());
        List<OwnershipTree.Change> changes = live.tree.changes();
        if (changes.size() != 1) {
            throw new IllegalStateException(changes.size() + " trees changed, not 1");
        }
        return changes;
    }

    /** The cluster observed once, its index built by a first change, and the pods of the first ReplicaSet. */
    @State(Scope.Benchmark)
    public static class Live {
        final OwnershipTree tree = new OwnershipTree();
        final ArrayDeque<String> pods = new ArrayDeque<>();
        ObjectNode replicaSet;
        int next = PODS_PER_DEPLOYMENT;

        @Setup(Level.Trial)
        public void observe() {
            replicaSet = observeCluster(tree);
            for (TreeNode pod : tree.roots().get(0).children().get(1).children()) {
                pods.add(pod.uid());
            }
            tree.changes();
        }
    }

    /** Observes the cluster into {@code tree}; the first Deployment's current ReplicaSet. */
    private static ObjectNode observeCluster(OwnershipTree tree) {
        ObjectNode first = null;
        for (int d = 0; d < DEPLOYMENTS; d++) {
            String namespace = "team-" + d % 50;
            ObjectNode deployment = object("apps/v1", "Deployment", namespace, "app-" + d, null);
            tree.observe(deployment);
            ObjectNode old = object("apps/v1", "ReplicaSet", namespace, "app-" + d + "-5c6d7e8f9", deployment);
            tree.observe(old);
            ObjectNode current = object("apps/v1", "ReplicaSet", namespace, "app-" + d + "-7d9f8b6c5d", deployment);
            tree.observe(current);
            first = first == null ? current : first;
            for (int p = 0; p < PODS_PER_DEPLOYMENT; p++) {
                tree.observe(object("v1", "Pod", namespace, "app-" + d + "-7d9f8b6c5d-" + p, current));
            }
        }
        return first;
    }

    /** A namespaced object as the API server lists it, with labels and a resourceVersion, owned by {@code owner} unless null. */
    static ObjectNode object(String apiVersion, String kind, String namespace, String name, ObjectNode owner) {
        ObjectNode object = KubeObjects.identified(apiVersion, kind, namespace, name);
        ObjectNode metadata = object.withObject("metadata");
        metadata.put("resourceVersion", "123456789");
        metadata.putObject("labels").put("app.kubernetes.io/name", name).put("pod-template-hash", "7d9f8b6c5d");
        if (owner != null) {
            KubeObjects.owned(object, owner, true);
            ((ObjectNode) metadata.path("ownerReferences").get(0)).put("blockOwnerDeletion", true);
        }
        return object;
    }
}
