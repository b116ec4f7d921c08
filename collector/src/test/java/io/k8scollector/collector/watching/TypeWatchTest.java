package io.k8scollector.collector.watching;

import static io.k8scollector.collector.watching.RecordingListener.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k8scollector.collector.ConnectedCluster;
import io.k8scollector.collector.config.KubeAccess;
import io.k8scollector.collector.discovery.ApiServer;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.discovery.RequestRate;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.Skipped;
import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.catalog.TypeKey;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** The watch of one type against the test cluster, with each fault a real API server produces. */
@Timeout(60)
class TypeWatchTest {

    private static final List<String> VERBS = List.of("get", "list", "watch");
    private static final ResourceType CONFIGMAPS = new ResourceType("", "v1", "ConfigMap", "configmaps", true, VERBS);
    private static final ResourceType WIDGETS = new ResourceType("example.com", "v1", "Widget", "widgets", true, VERBS);
    private static final WatchScope EVERYWHERE = new WatchScope(null, null, Set.of());
    /** Short server timeouts and grace, so that the server's end and silent streams happen within a test. */
    private static final WatchTiming QUICK = new WatchTiming(2, 3, Duration.ofSeconds(1), Duration.ofMillis(20),
            Duration.ofMillis(200));

    @RegisterExtension
    static final ConnectedCluster connected = new ConnectedCluster(ClusterSpec.builder().pods(30).seed(5)
            .bookmarkInterval(Duration.ofMillis(200)).build());

    @TempDir
    Path dir;

    private static TypeWatch watch(ResourceType type, WatchScope scope, RecordingListener listener) {
        return TypeWatch.start(connected.server(), type, scope, QUICK, new RequestRate(1000), now(), listener);
    }

    private static String now() {
        return String.valueOf(connected.cluster().store().resourceVersion());
    }

    private static void put(String namespace, String name, String team) {
        ObjectNode map = Json.MAPPER.createObjectNode();
        map.put("apiVersion", "v1");
        map.put("kind", "ConfigMap");
        ObjectNode metadata = map.putObject("metadata");
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        metadata.putObject("labels").put("team", team);
        map.putObject("data").put("team", team);
        connected.cluster().store().put(map);
    }

    private static void delete(String namespace, String name) {
        connected.cluster().store().delete("", "configmaps", namespace, name);
    }

    private static long revision(String namespace, String name) {
        return connected.cluster().store().get("", "configmaps", namespace, name).orElseThrow()
                .path("metadata").path("resourceVersion").asLong();
    }

    private static boolean named(WatchEvent event, String prefix) {
        return event.head().name().startsWith(prefix);
    }

    @Test
    void deliversEachChangeAfterTheResourceVersionWithItsHeadAndWholeObject() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (TypeWatch watch = watch(CONFIGMAPS, EVERYWHERE, listener)) {
            put("shop", "w-basic", "a");
            long created = revision("shop", "w-basic");
            put("shop", "w-basic", "b");
            delete("shop", "w-basic");

            List<WatchEvent> events = listener.awaitChanges(e -> named(e, "w-basic"), 3);

            assertThat(events).extracting(WatchEvent::change)
                    .containsExactly(WatchEvent.Change.ADDED, WatchEvent.Change.MODIFIED, WatchEvent.Change.DELETED);
            WatchEvent added = events.get(0);
            assertThat(added.type()).isEqualTo(CONFIGMAPS);
            assertThat(added.head().resourceVersion()).isEqualTo(String.valueOf(created));
            assertThat(added.head().namespace()).isEqualTo("shop");
            assertThat(added.head().apiVersion() + " " + added.head().kind()).isEqualTo("v1 ConfigMap");
            assertThat(added.head().key().value()).isEqualTo("u:" + added.head().uid());
            assertThat(events.get(1).object().path("data").path("team").asString()).isEqualTo("b");
            assertThat(added.object().path("metadata").has("managedFields")).isFalse();
            awaitTrue(() -> Long.parseLong(watch.resourceVersion()) >= connected.cluster().store().resourceVersion(),
                    "the watch's resourceVersion to catch up");
            assertThat(listener.ends).isEmpty();
            assertThat(watch.state()).isEqualTo(TypeWatch.State.RUNNING);
        }
    }

    @Test
    void bookmarksMoveTheResourceVersionOnWithoutAChange() throws Exception {
        RecordingListener listener = new RecordingListener();
        put("payments", "w-before-bookmark", "a");
        String from = now();
        put("shop", "w-elsewhere", "a");
        ResourceType inPayments = CONFIGMAPS;
        try (TypeWatch watch = TypeWatch.start(connected.server(), inPayments, new WatchScope("payments", null, Set.of()),
                QUICK, new RequestRate(1000), from, listener)) {
            awaitTrue(() -> !listener.progress.isEmpty()
                    && Long.parseLong(watch.resourceVersion()) >= revision("shop", "w-elsewhere"), "a bookmark past the change");
            assertThat(listener.names()).doesNotContain("ADDED w-elsewhere");
        }
        delete("shop", "w-elsewhere");
        delete("payments", "w-before-bookmark");
    }

    @Test
    void droppedConnectionsAndServerEndsResumeFromTheLastResourceVersionWithoutLosingOrRepeatingAChange() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (TypeWatch watch = watch(CONFIGMAPS, EVERYWHERE, listener)) {
            for (int i = 0; i < 30; i++) {
                put("analytics", "w-drop-" + i, "a");
                if (i % 10 == 9) {
                    connected.cluster().faults().dropWatches();
                }
                Thread.sleep(i == 15 ? 3500 : 5);
            }
            List<WatchEvent> events = listener.awaitChanges(e -> named(e, "w-drop-"), 30);

            assertThat(events).extracting(e -> e.head().name())
                    .containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(i -> "w-drop-" + i).toList());
            assertThat(listener.restarts).extracting(RecordingListener.Restart::why)
                    .anyMatch(why -> why.startsWith("the connection dropped"))
                    .anyMatch(why -> why.startsWith("the server ended the stream"));
            assertThat(listener.ends).isEmpty();
            assertThat(listener.overlapped()).isFalse();
            assertThat(watch.state()).isEqualTo(TypeWatch.State.RUNNING);
        }
        IntStream.range(0, 30).forEach(i -> delete("analytics", "w-drop-" + i));
    }

    @Test
    void anExpiredHistoryEndsTheWatchAndSaysSoAsAnErrorEventAndAsAPlain410() throws Exception {
        String old = now();
        put("shop", "w-compacted", "a");
        connected.cluster().store().compact();
        for (boolean plain : List.of(false, true)) {
            if (plain) {
                connected.cluster().faults().answerExpiredWatchesWith410();
            }
            RecordingListener listener = new RecordingListener();
            try (TypeWatch watch = TypeWatch.start(connected.server(), CONFIGMAPS, EVERYWHERE, QUICK,
                    new RequestRate(1000), old, listener)) {
                // the watch sets its state, then tells the listener: await what the assertions read last
                awaitTrue(() -> !listener.ends.isEmpty(), "the watch's end to be reported");

                assertThat(watch.state()).isEqualTo(TypeWatch.State.EXPIRED);
                assertThat(listener.ends).containsExactly("expired");
                assertThat(listener.changes).isEmpty();
                assertThat(listener.restarts).isEmpty();
            }
        }
        delete("shop", "w-compacted");
    }

    @Test
    void aStalledWatchDeliversWhatHappenedOnceTheStallEnds() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (TypeWatch watch = watch(CONFIGMAPS, EVERYWHERE, listener)) {
            connected.cluster().faults().stallWatches("", "configmaps", Duration.ofMillis(4500));
            put("shop", "w-stalled", "a");
            Thread.sleep(300);
            assertThat(listener.names()).doesNotContain("ADDED w-stalled");

            List<WatchEvent> events = listener.awaitChanges(e -> named(e, "w-stalled"), 1);

            assertThat(events).hasSize(1);
            assertThat(listener.ends).isEmpty();
        }
        delete("shop", "w-stalled");
    }

    @Test
    void theLabelSelectorAppliesAndAnObjectThatStopsMatchingArrivesAsDeleted() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (TypeWatch watch = watch(CONFIGMAPS, new WatchScope(null, "team=a", Set.of()), listener)) {
            put("shop", "w-label-a", "a");
            put("shop", "w-label-b", "b");
            put("shop", "w-label-a", "b");

            List<WatchEvent> events = listener.awaitChanges(e -> named(e, "w-label-"), 2);

            assertThat(listener.names()).containsSubsequence("ADDED w-label-a", "DELETED w-label-a")
                    .doesNotContain("ADDED w-label-b");
            assertThat(events.get(1).head().resourceVersion()).isEqualTo(String.valueOf(revision("shop", "w-label-a")));
        }
        delete("shop", "w-label-a");
        delete("shop", "w-label-b");
    }

    @Test
    void theWatchedNamespaceAndTheIgnoredNamespacesApplyAsInTheListing() throws Exception {
        RecordingListener inShop = new RecordingListener();
        RecordingListener ignoring = new RecordingListener();
        try (TypeWatch one = watch(CONFIGMAPS, new WatchScope("shop", null, Set.of()), inShop);
                TypeWatch other = watch(CONFIGMAPS, new WatchScope(null, null, Set.of("shop")), ignoring)) {
            put("shop", "w-ns-shop", "a");
            put("payments", "w-ns-payments", "a");

            inShop.awaitChanges(e -> named(e, "w-ns-"), 1);
            ignoring.awaitChanges(e -> named(e, "w-ns-"), 1);
            awaitTrue(() -> Long.parseLong(other.resourceVersion()) >= revision("payments", "w-ns-payments")
                    && Long.parseLong(one.resourceVersion()) >= revision("payments", "w-ns-payments"), "both watches to pass the changes");

            assertThat(inShop.names()).contains("ADDED w-ns-shop").doesNotContain("ADDED w-ns-payments");
            assertThat(ignoring.names()).contains("ADDED w-ns-payments").doesNotContain("ADDED w-ns-shop");
        }
        delete("shop", "w-ns-shop");
        delete("payments", "w-ns-payments");
    }

    @Test
    void aForbiddenWatchEndsAndIsReported() throws Exception {
        connected.cluster().faults().forbid("example.com", "widgets");
        RecordingListener listener = new RecordingListener();
        try (TypeWatch watch = watch(WIDGETS, EVERYWHERE, listener)) {
            // the watch sets its state, then tells the listener: await what the assertions read last
            awaitTrue(() -> !listener.ends.isEmpty(), "the watch's end to be reported");

            assertThat(watch.state()).isEqualTo(TypeWatch.State.REFUSED);
            assertThat(listener.ends).singleElement().asString()
                    .startsWith("forbidden: HTTP 403 at " + connected.cluster().url() + "/apis/example.com/v1/widgets?watch=1&resourceVersion=");
        }
    }

    @Test
    void manyEventsArriveInOrderOnce() throws Exception {
        RecordingListener listener = new RecordingListener();
        int count = 2000;
        try (TypeWatch watch = watch(CONFIGMAPS, EVERYWHERE, listener)) {
            for (int i = 0; i < count; i++) {
                put("platform", "w-many-" + (i % 200), "v" + i);
            }
            List<WatchEvent> events = listener.awaitChanges(e -> named(e, "w-many-"), count);

            assertThat(events).hasSize(count);
            assertThat(events).extracting(e -> Long.parseLong(e.head().resourceVersion())).isSorted().doesNotHaveDuplicates();
            assertThat(events.get(count - 1).object().path("data").path("team").asString()).isEqualTo("v" + (count - 1));
        }
        IntStream.range(0, 200).forEach(i -> delete("platform", "w-many-" + i));
    }

    @Test
    void anObjectPastTheParsersLimitsIsRefusedAloneAndTheWatchReadsOn() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (TypeWatch watch = watch(CONFIGMAPS, EVERYWHERE, listener)) {
            String deep = "{\"metadata\":{\"name\":\"w-deep\",\"namespace\":\"shop\",\"resourceVersion\":\"1\"},\"data\":"
                    + "[".repeat(600) + "]".repeat(600) + "}";
            connected.cluster().store().putRaw(new TypeKey("", "configmaps"), "shop", "w-deep", "deep-uid",
                    deep.getBytes(StandardCharsets.UTF_8));
            put("shop", "w-after-deep", "a");

            listener.awaitChanges(e -> named(e, "w-after-deep"), 1);

            assertThat(listener.refusedObjects).singleElement()
                    .satisfies(skipped -> assertThat(skipped.reason()).isEqualTo("unparseable"));
            assertThat(listener.names()).doesNotContain("ADDED w-deep");
        }
        delete("shop", "w-deep");
        delete("shop", "w-after-deep");
    }

    @Test
    void anUnreachableServerIsRetriedWithJitteredBackoffUntilClosed() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: dead, cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}}]
                users: [{name: dead, user: {token: not-a-token}}]
                contexts: [{name: dead, context: {cluster: dead, user: dead}}]
                current-context: dead
                """.formatted(port));
        RecordingListener listener = new RecordingListener();
        try (ApiServer dead = ApiServer.connect(new KubeAccess(kubeconfig, null));
                TypeWatch watch = TypeWatch.start(dead, CONFIGMAPS, EVERYWHERE, QUICK, new RequestRate(1000), "42", listener)) {
            awaitTrue(() -> listener.restarts.size() >= 6, "six failed attempts");
            watch.close();
            int seen = listener.restarts.size();
            Thread.sleep(300);

            assertThat(listener.restarts.size()).isEqualTo(seen);
            assertThat(watch.state()).isEqualTo(TypeWatch.State.CLOSED);
            assertThat(watch.resourceVersion()).isEqualTo("42");
            List<RecordingListener.Restart> restarts = listener.restarts.subList(0, 6);
            assertThat(restarts).extracting(RecordingListener.Restart::failures).containsExactly(1, 2, 3, 4, 5, 6);
            for (RecordingListener.Restart restart : restarts) {
                long ceiling = Math.min(200, 20L << (restart.failures() - 1));
                assertThat(restart.delay().toMillis()).isBetween(ceiling / 2, ceiling);
                assertThat(restart.why()).contains("127.0.0.1:" + port).doesNotContain("not-a-token");
            }
        }
    }

    @Test
    void aWatchNeedsTheResourceVersionOfAList() {
        assertThatThrownBy(() -> TypeWatch.start(connected.server(), CONFIGMAPS, EVERYWHERE, QUICK, new RequestRate(1000), "0",
                new RecordingListener()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("configmaps");
    }
}
