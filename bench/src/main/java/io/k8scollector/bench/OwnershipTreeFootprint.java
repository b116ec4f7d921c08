package io.k8scollector.bench;

import io.k8scollector.collector.enrichment.OwnershipTree;
import tools.jackson.databind.node.ObjectNode;

/**
 * Prints the heap an {@link OwnershipTree} retains for 100,000 pods (of one ReplicaSet, 50
 * namespaces), measured after full collections, and what the index of a continuous run adds (built
 * by the first change, here a pod forgotten): run it as
 * {@code java -Xmx128m -cp bench/target/benchmarks.jar io.k8scollector.bench.OwnershipTreeFootprint}.
 */
public final class OwnershipTreeFootprint {

    private static final int PODS = 100_000;

    private OwnershipTreeFootprint() {}

    public static void main(String[] args) {
        long before = retainedHeap();
        OwnershipTree tree = new OwnershipTree();
        ObjectNode owner = OwnershipTreeBenchmark.object("apps/v1", "ReplicaSet", "team-1", "app-7d9f8b6c5d", null);
        tree.observe(owner);
        ObjectNode last = null;
        for (int p = 0; p < PODS; p++) {
            last = OwnershipTreeBenchmark.object("v1", "Pod", "team-" + p % 50, "app-" + p / 100 + "-7d9f8b6c5d-" + p,
                    owner);
            tree.observe(last);
        }
        long retained = retainedHeap() - before;
        System.out.printf("OwnershipTree retains %.1f MB for %,d pods: %d bytes per pod (%d root)%n",
                retained / 1e6, PODS, retained / PODS, tree.roots().size());
        tree.forget(last.at("/metadata/uid").stringValue());
        long live = retainedHeap() - before - retained;
        System.out.printf("Its index for changes adds %.1f MB: %d bytes per pod (%d tree changed)%n",
                live / 1e6, live / PODS, tree.changes().size());
    }

    private static long retainedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
