package io.k8scollector.testkit.generator;

import static io.k8scollector.testkit.generator.Seeded.metadata;

import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.store.ObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Changes the cluster at a steady rate, as a busy cluster changes: pods created (owned by a
 * ReplicaSet {@code churn-...} in the first application namespace), relabelled (their label
 * {@value #PHASE} flips between {@code a} and {@code b}) and deleted, and Helm upgrades of
 * {@code storefront} (a new release Secret revision, the previous one superseded, revisions past
 * Helm's history of 10 deleted). Bounded: the churn keeps at most {@code max(10, pods / 10)} pods of
 * its own. Deterministic: the same spec gives the same sequence of changes, with the same names and
 * uids, whatever the rate.
 */
public final class Churn implements AutoCloseable {

    /** The label that relabelling flips. */
    public static final String PHASE = "churn.k8s-collector.io/phase";
    /** How many revisions of a release Helm keeps by default. */
    private static final int HELM_HISTORY = 10;
    private static final long TICK_MILLIS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(Churn.class);

    private final ObjectStore store;
    private final Seeded seeded;
    private final Pods pods;
    private final HelmReleases helm;
    private final String namespace;
    private final int bound;
    private final List<String> live = new ArrayList<>();
    private final AtomicLong changes = new AtomicLong();
    private ObjectNode template;
    private ObjectNode owner;
    private int helmRevision = HelmReleases.STOREFRONT_REVISIONS;
    private ScheduledExecutorService timer;

    /** A churn over a store populated by {@link ClusterGenerator} from the same spec; it changes nothing yet. */
    public Churn(ObjectStore store, ClusterSpec spec) {
        this.store = store;
        // A sequence of its own, so that the generated cluster is the same with churn or without.
        this.seeded = new Seeded(spec.seed() ^ 0x6368_7572_6e00L);
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < ClusterGenerator.nodeCount(spec); i++) {
            nodes.add("node-" + i);
        }
        this.pods = new Pods(seeded, nodes);
        this.helm = new HelmReleases(seeded, store);
        this.namespace = ClusterGenerator.appNamespaces(spec).get(0);
        this.bound = Math.max(10, spec.pods() / 10);
    }

    /**
     * Makes {@code changesPerSecond} changes a second on a thread of its own until closed.
     *
     * @throws IllegalStateException when it runs already
     */
    public synchronized void start(double changesPerSecond) {
        if (timer != null) {
            throw new IllegalStateException("the churn runs already");
        }
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "testcluster-churn");
            thread.setDaemon(true);
            return thread;
        });
        long started = System.nanoTime();
        long[] done = {0};
        timer.scheduleAtFixedRate(() -> {
            try {
                long due = (long) ((System.nanoTime() - started) / 1e9 * changesPerSecond);
                for (; done[0] < due; done[0]++) {
                    step();
                }
            } catch (RuntimeException e) {
                LOG.warn("The churn failed after {} changes and stops", changes.get(), e);
                throw e;
            }
        }, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Makes the next change of the sequence now. */
    public synchronized void step() {
        if (owner == null) {
            template = pods.template("churn", pods.image(), "app", "churn", PHASE, "a");
            owner = replicaSet();
            store.put(owner);
        }
        int roll = seeded.between(0, 99);
        if (live.isEmpty() || (roll < 35 && live.size() < bound)) {
            create();
        } else if (roll < 35 || (roll >= 70 && roll < 95)) {
            delete();
        } else if (roll < 70) {
            relabel();
        } else {
            upgrade();
        }
        changes.incrementAndGet();
    }

    /** How many changes it made. */
    public long changes() {
        return changes.get();
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void create() {
        String hash = metadata(owner).get("labels").get("pod-template-hash").asString();
        ObjectNode pod = pods.pod(namespace, Seeded.name(owner) + "-" + seeded.hash(5), template, owner,
                "pod-template-hash", hash);
        store.put(pod);
        live.add(Seeded.name(pod));
    }

    private void delete() {
        store.delete("", "pods", namespace, live.remove(seeded.between(0, live.size() - 1)));
    }

    private void relabel() {
        String name = live.get(seeded.between(0, live.size() - 1));
        store.get("", "pods", namespace, name).ifPresent(pod -> {
            ObjectNode labels = metadata(pod).withObjectProperty("labels");
            labels.put(PHASE, "a".equals(labels.path(PHASE).asString("")) ? "b" : "a");
            store.put(pod);
        });
    }

    private void upgrade() {
        int previous = helmRevision++;
        store.put(helm.storefront(namespace, helmRevision, helmRevision));
        // The superseded revision keeps its identity, as Helm updates the Secret in place.
        ObjectNode superseded = helm.storefront(namespace, previous, helmRevision);
        metadata(superseded).remove("uid");
        metadata(superseded).remove("creationTimestamp");
        store.put(superseded);
        store.delete("", "secrets", namespace, HelmReleases.storefrontSecret(helmRevision - HELM_HISTORY));
    }

    private ObjectNode replicaSet() {
        ObjectNode replicaSet = seeded.object("apps/v1", "ReplicaSet", namespace, "churn-" + seeded.hash(10));
        String hash = Seeded.name(replicaSet).substring("churn-".length());
        Seeded.strings(metadata(replicaSet), "labels", "app", "churn", "pod-template-hash", hash);
        ObjectNode spec = replicaSet.putObject("spec");
        spec.putObject("selector").putObject("matchLabels").put("app", "churn");
        spec.set("template", template);
        return replicaSet;
    }
}
