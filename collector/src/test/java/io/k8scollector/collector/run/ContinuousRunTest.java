package io.k8scollector.collector.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.ConnectedCluster;
import io.k8scollector.collector.config.CollectorConfig;
import io.k8scollector.collector.config.CommandLineFlags;
import io.k8scollector.collector.health.CollectorHealth;
import io.k8scollector.collector.health.CollectorMetrics;
import io.k8scollector.collector.shipping.DryRunSink;
import io.k8scollector.collector.shipping.HttpSink;
import io.k8scollector.collector.watching.WatchTiming;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKey;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.catalog.TypeKey;
import io.k8scollector.testkit.ingest.ClusterSnapshot;
import io.k8scollector.testkit.ingest.IngestEndpoint;
import io.k8scollector.testkit.store.StoredObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The continuous run against the test cluster and the 1.1 test endpoint: after each kind of change
 * and fault, the endpoint's current snapshot holds what the cluster holds, within seconds.
 */
@Timeout(90)
class ContinuousRunTest {

    private static final String CLUSTER = "watching";
    private static final String SECRET_VALUE = "planted-watch-secret-5b1f";
    private static final Duration SOON = Duration.ofSeconds(20);
    /** Short server timeouts, so that streams end and resume within a test. */
    private static final WatchTiming QUICK = new WatchTiming(2, 3, Duration.ofSeconds(1), Duration.ofMillis(20),
            Duration.ofMillis(200));

    /** The events of each type the test cluster keeps for watches to resume from: more than a test's flood. */
    private static final int HISTORY = 300;

    @RegisterExtension
    static final ConnectedCluster connected = new ConnectedCluster(ClusterSpec.builder().pods(20).seed(14)
            .bookmarkInterval(Duration.ofMillis(200)).watchHistory(HISTORY).build());

    @TempDir
    Path dir;

    private IngestEndpoint endpoint;
    private CollectorConfig config;
    private CollectorHealth health;
    private CollectorMetrics metrics;
    private final ShiftedClock clock = new ShiftedClock();
    private HttpSink sink;
    private ContinuousRun run;
    private Future<Integer> running;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    @BeforeEach
    void startEndpoint() throws Exception {
        endpoint = new IngestEndpoint();
    }

    @AfterEach
    void stop() throws Exception {
        if (run != null) {
            run.stop();
            running.get(30, TimeUnit.SECONDS);
        }
        thread.shutdownNow();
        if (sink != null) {
            sink.close();
        }
        endpoint.close();
    }

    @Test
    void addedModifiedAndDeletedObjectsArriveAsDeltasWithoutASecondFullFetching() throws Exception {
        start(Map.of());
        awaitEqual();
        putConfigMap("shop", "cm-added", "one");
        putSecret("shop", "watched-secret");
        awaitEqual();
        putConfigMap("shop", "cm-added", "two");
        deleteConfigMap("shop", "cm-added");
        putConfigMap("shop", "cm-kept", "three");
        awaitEqual();

        assertThat(endpoint.fullCommits()).isEqualTo(1);
        assertThat(endpoint.fullStarts()).isEqualTo(1);
        assertThat(endpoint.requests("deletions")).isPositive();
        assertNoSecretSent();
    }

    @Test
    void podChurnAndHelmUpgradesLeaveTheEndpointWithWhatAFreshFullRunSends() throws Exception {
        start(Map.of());
        awaitEqual();
        Map<String, JsonNode> before = records(RecordKind.HELM_RELEASES);
        for (int i = 0; i < 150; i++) {
            connected.cluster().churn().step();
        }
        awaitEqual();
        await(() -> records(RecordKind.HELM_RELEASES).equals(fresh(RecordKind.HELM_RELEASES)));
        assertThat(records(RecordKind.HELM_RELEASES)).as("the churn upgraded a release").isNotEqualTo(before);
        await(() -> records(RecordKind.TREES).equals(fresh(RecordKind.TREES)));
        assertThat(endpoint.fullCommits()).isEqualTo(1);
        assertNoSecretSent();
    }

    @Test
    void eachTypeIsWatchedFromTheEndOfItsOwnListingSoThatChangesDuringTheFullFetchingNeedNoRelist() throws Exception {
        // the ConfigMaps' listing waits for the server: the full fetching stays open meanwhile
        connected.cluster().faults().throttleOnce("", "configmaps", 8);
        Map<String, Long> requestsBefore = connected.cluster().requests();
        Map<String, Long> listsBefore = connected.cluster().listRequests();
        start(Map.of("collector.retry.deadlineSeconds", "30", "collector.retry.maxAttempts", "3"));
        await(() -> more(connected.cluster().requests(), requestsBefore, "/api/v1/pods")
                > more(connected.cluster().listRequests(), listsBefore, "/api/v1/pods"));
        // more changes of the pods than the history keeps: a watch started from their list after the full
        // fetching would get 410; one that runs reads each as it comes
        for (int i = 0; i < 3 * HISTORY; i++) {
            connected.cluster().churn().step();
            Thread.sleep(2);
        }
        assertThat(endpoint.fullCommits()).as("the churn came while the full fetching was open").isZero();
        awaitEqual();
        // before the lists of the full runs the trees are compared with
        long podLists = more(connected.cluster().listRequests(), listsBefore, "/api/v1/pods");
        await(() -> records(RecordKind.TREES).equals(fresh(RecordKind.TREES)));

        assertThat(podLists).as("the pods listed once: their watch did not expire").isEqualTo(1);
        assertThat(endpoint.fullStarts()).isEqualTo(1);
        assertThat(endpoint.fullCommits()).isEqualTo(1);
        assertNoSecretSent();
    }

    @Test
    void anArgoCdApplicationAddedModifiedOrDeletedReachesTheEndpointAsItsReleaseRecordInADelta() throws Exception {
        start(Map.of());
        awaitEqual();
        ObjectNode original = (ObjectNode) Json.MAPPER.readTree(connected.cluster().store()
                .snapshot(new TypeKey("argoproj.io", "applications")).objects()[0].body());
        // the store keeps bodies as a list's items: without apiVersion and kind
        original.put("apiVersion", "argoproj.io/v1alpha1").put("kind", "Application");
        ObjectNode app = original.deepCopy();
        String namespace = app.path("metadata").path("namespace").asString();
        String name = app.path("metadata").path("name").asString();
        String argo = "argocd/" + namespace + "/";
        try {
            ((ObjectNode) app.path("status").path("health")).put("status", "Degraded");
            connected.cluster().store().put(app);
            ObjectNode added = app.deepCopy();
            ((ObjectNode) added.path("metadata")).put("name", "argo-added").remove(List.of("uid", "resourceVersion"));
            connected.cluster().store().put(added);
            await(() -> records(RecordKind.HELM_RELEASES).containsKey(argo + "argo-added")
                    && records(RecordKind.HELM_RELEASES).get(argo + name).path("status").asString("").equals("Degraded"));
            assertThat(records(RecordKind.HELM_RELEASES)).as("derived as a full run derives them")
                    .isEqualTo(fresh(RecordKind.HELM_RELEASES));
            connected.cluster().store().delete("argoproj.io", "applications", namespace, "argo-added");
            await(() -> !records(RecordKind.HELM_RELEASES).containsKey(argo + "argo-added"));
            assertThat(records(RecordKind.HELM_RELEASES)).isEqualTo(fresh(RecordKind.HELM_RELEASES));
            assertThat(endpoint.fullStarts()).as("as deltas").isEqualTo(1);
        } finally {
            connected.cluster().store().delete("argoproj.io", "applications", namespace, "argo-added");
            connected.cluster().store().put(original);
        }
    }

    @Test
    void aNewCustomResourceDefinitionsTypeIsCollectedAndWatchedAndARemovedOnesObjectsDeletedAllAsDeltas() throws Exception {
        start(Map.of());
        awaitEqual();
        ObjectNode crd = Json.MAPPER.createObjectNode();
        crd.put("apiVersion", "apiextensions.k8s.io/v1");
        crd.put("kind", "CustomResourceDefinition");
        crd.putObject("metadata").put("name", "things.acme.io");
        ObjectNode spec = crd.putObject("spec");
        spec.put("group", "acme.io");
        spec.put("scope", "Cluster");
        spec.putObject("names").put("plural", "things").put("kind", "Thing");
        spec.putArray("versions").addObject().put("name", "v1").put("served", true);
        connected.cluster().store().put(crd);
        ObjectNode thing = Json.MAPPER.createObjectNode();
        thing.put("apiVersion", "acme.io/v1");
        thing.put("kind", "Thing");
        thing.putObject("metadata").put("name", "first");
        connected.cluster().store().put(thing);
        try {
            await(() -> endpoint.current(CLUSTER) != null && !uids(endpoint.current(CLUSTER), "Thing").isEmpty()
                    && uids(endpoint.current(CLUSTER), "Thing").equals(connected.cluster().store().uids("acme.io", "things"))
                    && records(RecordKind.TYPES).containsKey("acme.io/things"));
            long listsBefore = connected.cluster().listRequestCount();
            thing.putObject("metadata").put("name", "second");
            connected.cluster().store().put(thing);
            await(() -> uids(endpoint.current(CLUSTER), "Thing").equals(connected.cluster().store().uids("acme.io", "things")));
            assertThat(connected.cluster().listRequestCount()).as("the new type is watched: no list for its next object")
                    .isEqualTo(listsBefore);
        } finally {
            connected.cluster().store().delete("apiextensions.k8s.io", "customresourcedefinitions", null, "things.acme.io");
        }
        await(() -> uids(endpoint.current(CLUSTER), "Thing").isEmpty() && !records(RecordKind.TYPES).containsKey("acme.io/things"));
        awaitEqual();
        assertThat(endpoint.fullStarts()).as("discovery again, as deltas").isEqualTo(1);
    }

    @Test
    void nothingChangedMeansHeartbeats() throws Exception {
        start(Map.of("collector.heartbeatSeconds", "1"));
        await(() -> endpoint.heartbeats() >= 2);
        assertThat(endpoint.fullCommits()).isEqualTo(1);
        assertThat(endpoint.fullStarts()).isEqualTo(1);
        awaitEqual();
    }

    @Test
    void droppedWatchesResumeWithoutARelist() throws Exception {
        start(Map.of());
        awaitEqual();
        connected.cluster().faults().dropWatches();
        putConfigMap("shop", "cm-after-drop", "a");
        awaitEqual();
        assertThat(endpoint.fullCommits()).isEqualTo(1);
        assertThat(endpoint.commits()).noneMatch(commit -> commit.has("completeTypes"));
    }

    @Test
    void anExpiredWatchListsItsTypesMetadataAgainAndSendsOnlyTheDifferences() throws Exception {
        start(Map.of());
        awaitEqual();
        // Changes while no watch runs, then history gone: every resumed watch gets 410.
        MissedChanges missed = missChanges("cm-before-compaction", "cm-while-stalled", Duration.ofSeconds(2));
        connected.cluster().store().compact();
        connected.cluster().faults().dropWatches();
        awaitEqual();

        assertOnlyThoseSent(missed);
        assertThat(more(connected.cluster().listRequests(), missed.listsBefore(), "/api/v1/namespaces/shop/configmaps"))
                .as("the metadata listed, then the new ConfigMap's body read alone").isEqualTo(1);
        assertThat(endpoint.commits()).noneMatch(commit -> !commit.path("completeTypes").isEmpty());
        assertThat(connected.cluster().listRequests().get("/api/v1/configmaps"))
                .isGreaterThan(missed.listsBefore().get("/api/v1/configmaps"));
    }

    @Test
    void aResyncListsEveryTypeAgainAndSendsOnlyWhatTheWatchesMissedAsADelta() throws Exception {
        start(Map.of("collector.resyncMinutes", "1"));
        awaitEqual();
        // The watch sees nothing for a while: only the resync can tell these changes.
        MissedChanges missed = missChanges("cm-resync-doomed", "cm-resync-new", Duration.ofSeconds(30));
        clock.shift(Duration.ofMinutes(2));
        awaitEqual();

        assertOnlyThoseSent(missed);
        assertThat(connected.cluster().listRequests().get("/api/v1/pods")).isEqualTo(missed.listsBefore().get("/api/v1/pods") + 1);
    }

    @Test
    void aResyncReadsTheMetadataThenTheBodiesOfOnlyTheChangedAndNewObjectsRedactedAsAFullRunDoes() throws Exception {
        start(Map.of("collector.resyncMinutes", "1"));
        putConfigMap("shop", "cm-resync-changed", "a");
        putConfigMap("shop", "cm-resync-gone", "a");
        awaitEqual();
        String gone = configMapUid("cm-resync-gone");
        connected.cluster().faults().stallWatches("", "configmaps", Duration.ofSeconds(30));
        connected.cluster().faults().stallWatches("", "secrets", Duration.ofSeconds(30));
        Thread.sleep(300);
        putConfigMap("shop", "cm-resync-changed", "b");
        putConfigMap("shop", "cm-resync-added", "c");
        deleteConfigMap("shop", "cm-resync-gone");
        putSecret("shop", "secret-resync-added");
        int pagesBefore = endpoint.pages().size();
        Map<String, Long> listsBefore = connected.cluster().listRequests();
        clock.shift(Duration.ofMinutes(2));
        awaitEqual();
        try {
            String secret = connected.cluster().store().get("", "secrets", "shop", "secret-resync-added").orElseThrow()
                    .path("metadata").path("uid").asString();
            List<IngestEndpoint.Page> pages = endpoint.pages().subList(pagesBefore, endpoint.pages().size());
            assertThat(keys(pages, "objects")).as("only the bodies of what changed are sent").containsExactlyInAnyOrder(
                    "u:" + configMapUid("cm-resync-changed"), "u:" + configMapUid("cm-resync-added"), "u:" + secret);
            assertThat(keys(pages, "deletions")).contains("u:" + gone);
            Map<String, Long> lists = connected.cluster().listRequests();
            assertThat(more(lists, listsBefore, "/api/v1/pods")).as("the pods' metadata, once").isEqualTo(1);
            assertThat(more(lists, listsBefore, "/api/v1/namespaces/shop/configmaps"))
                    .as("the changed and the new ConfigMap, read one by one").isEqualTo(2);
            assertThat(more(lists, listsBefore, "/api/v1/namespaces/shop/secrets")).isEqualTo(1);
            assertThat(more(lists, listsBefore, "/api/v1/configmaps"))
                    .as("their metadata, and Helm's storage by its label: no whole list").isEqualTo(2);
            assertThat(records(RecordKind.OBJECTS).get("u:" + secret)).as("redacted as a full run does")
                    .isEqualTo(fresh(RecordKind.OBJECTS).get("u:" + secret));
            assertThat(endpoint.fullStarts()).isEqualTo(1);
            assertNoSecretSent();
        } finally {
            connected.cluster().store().delete("", "secrets", "shop", "secret-resync-added");
            deleteConfigMap("shop", "cm-resync-changed");
            deleteConfigMap("shop", "cm-resync-added");
        }
    }

    @Test
    void aServerThatRefusesMetadataListsIsResyncedWithWholeLists() throws Exception {
        start(Map.of("collector.resyncMinutes", "1"));
        awaitEqual();
        connected.cluster().faults().refuseMetadataLists();
        MissedChanges missed = missChanges("cm-406-doomed", "cm-406-new", Duration.ofSeconds(30));
        clock.shift(Duration.ofMinutes(2));
        awaitEqual();

        List<IngestEndpoint.Page> pages = endpoint.pages().subList(missed.pagesBefore(), endpoint.pages().size());
        assertThat(keys(pages, "objects")).as("only what changed is sent again").containsExactly("u:" + missed.addedUid());
        assertThat(keys(pages, "deletions")).contains("u:" + missed.goneUid());
        assertThat(endpoint.fullStarts()).as("as a delta").isEqualTo(1);
        Map<String, Long> lists = connected.cluster().listRequests();
        assertThat(more(lists, missed.listsBefore(), "/api/v1/pods")).as("refused (406), then listed whole")
                .isEqualTo(2);
        assertThat(more(lists, missed.listsBefore(), "/api/v1/namespaces/shop/configmaps")).as("none read one by one")
                .isZero();
    }

    @Test
    void anEndpointDownForAWhileIsWaitedOutAndCaughtUp() throws Exception {
        start(Map.of());
        awaitEqual();
        for (int i = 0; i < 6; i++) {
            endpoint.fault("/fetchings", 503, Map.of());
        }
        putConfigMap("shop", "cm-while-down", "a");
        awaitEqual();
        assertThat(endpoint.requests("start")).isGreaterThan(6);
        assertThat(endpoint.fullStarts()).as("the delta waits, then goes on the same base").isEqualTo(1);
    }

    @Test
    void aDeltaThatCouldNotReachTheEndpointIsSentAgainOnTheSameBaseAndTheOpenOneAborted() throws Exception {
        start(Map.of());
        awaitEqual();
        long listsBefore = connected.cluster().listRequestCount();
        for (int i = 0; i < 4; i++) {
            endpoint.fault("/objects", 503, Map.of());
        }
        putConfigMap("shop", "cm-page-lost", "a");
        await(() -> endpoint.requests("objects") > 4);
        putConfigMap("shop", "cm-page-lost", "b");
        putConfigMap("shop", "cm-after-loss", "c");
        awaitEqual();

        assertThat(endpoint.fullStarts()).isEqualTo(1);
        assertThat(endpoint.aborts()).as("the deltas left open are aborted").isNotEmpty();
        assertThat(connected.cluster().listRequestCount()).as("no list: the watches went on").isEqualTo(listsBefore);
    }

    @Test
    void aCommitWhoseAnswerWasLostButWhichTheEndpointMadeCurrentBecomesTheBase() throws Exception {
        start(Map.of());
        awaitEqual();
        // both attempts of one commit are taken, and neither answer arrives
        endpoint.fault("/commit", IngestEndpoint.ANSWER_LOST, Map.of());
        endpoint.fault("/commit", IngestEndpoint.ANSWER_LOST, Map.of());
        putConfigMap("shop", "cm-answer-lost", "a");
        awaitEqual();
        putConfigMap("shop", "cm-after-lost-answer", "b");
        awaitEqual();

        assertThat(endpoint.fullStarts()).as("the lost answer's fetching is the base: no full fetching").isEqualTo(1);
    }

    @Test
    void changesPastMaxPendingMbAreDroppedAndResyncedAsADeltaOnceTheEndpointAnswers() throws Exception {
        start(Map.of("collector.maxPendingMb", "1"));
        awaitEqual();
        Map<String, Long> listsBefore = connected.cluster().listRequests();
        for (int i = 0; i < 6; i++) {
            endpoint.fault("/fetchings", 503, Map.of());
        }
        String large = "x".repeat(8 * 1024);
        try {
            for (int i = 0; i < 200; i++) {
                putConfigMap("shop", "cm-flood-" + i, large);
            }
            awaitEqual();
            assertThat(endpoint.fullStarts()).as("the resync is a delta").isEqualTo(1);
            assertListedAtMostOnceMore(listsBefore);
        } finally {
            for (int i = 0; i < 200; i++) {
                deleteConfigMap("shop", "cm-flood-" + i);
            }
        }
    }

    @Test
    void aForbiddenTypeIsReportedSkippedListedAtEachResyncAndWatchedAgainOnceAllowed() throws Exception {
        start(Map.of("collector.resyncMinutes", "1"));
        awaitEqual();
        connected.cluster().faults().forbid("", "configmaps");
        connected.cluster().faults().dropWatches();
        await(() -> skippedTypes().contains("/configmaps"));
        putConfigMap("shop", "cm-while-forbidden", "a");
        connected.cluster().faults().clear();
        clock.shift(Duration.ofMinutes(2));
        awaitEqual();
        await(() -> !skippedTypes().contains("/configmaps"));
        assertThat(endpoint.commits()).anyMatch(commit -> commit.path("completeTypes").toString().contains("\"configmaps\""));
        long listsBefore = connected.cluster().listRequestCount();
        putConfigMap("shop", "cm-watched-again", "b");
        awaitEqual();
        assertThat(connected.cluster().listRequestCount()).as("watched again: no list").isEqualTo(listsBefore);
        assertThat(endpoint.fullStarts()).isEqualTo(1);
    }

    @Test
    void aTypeWhoseWatchKeepsFailingIsGivenUpReportedAndListedAtEachResync() throws Exception {
        start(Map.of("collector.resyncMinutes", "1"));
        awaitEqual();
        connected.cluster().faults().failWatches("", "configmaps", 503);
        connected.cluster().faults().dropWatches();
        await(() -> skippedTypes().contains("/configmaps"));
        assertThat(health.readiness().ok()).as("the other watches work: the API server answers").isTrue();
        putConfigMap("shop", "cm-watch-failing", "a");
        clock.shift(Duration.ofMinutes(2));
        awaitEqual();
        // tried again at the resync, and given up again
        await(() -> skippedTypes().contains("/configmaps"));
        connected.cluster().faults().clear();
        long podLists = connected.cluster().listRequests().get("/api/v1/pods");
        clock.shift(Duration.ofMinutes(2));
        await(() -> connected.cluster().listRequests().get("/api/v1/pods") > podLists
                && !skippedTypes().contains("/configmaps"));
        long listsBefore = connected.cluster().listRequestCount();
        putConfigMap("shop", "cm-watch-back", "b");
        awaitEqual();
        assertThat(connected.cluster().listRequestCount()).as("watched again: no list").isEqualTo(listsBefore);
        assertThat(endpoint.fullStarts()).isEqualTo(1);
    }

    @Test
    void helmStorageIsWatchedByItsOwnLabelWhenSecretsAreNotCollected() throws Exception {
        start(Map.of("collector.resources.secrets", "false"));
        await(() -> endpoint.current(CLUSTER) != null);
        Map<String, JsonNode> before = records(RecordKind.HELM_RELEASES);
        for (int i = 0; i < 150; i++) {
            connected.cluster().churn().step();
        }
        // no resync is due and no full fetching is sent: only the watch of the release Secrets can tell
        await(() -> records(RecordKind.HELM_RELEASES).equals(fresh(RecordKind.HELM_RELEASES)));
        assertThat(records(RecordKind.HELM_RELEASES)).as("the churn upgraded a release").isNotEqualTo(before);
        assertThat(uids(endpoint.current(CLUSTER), "Secret")).as("Secrets are still not collected").isEmpty();
        assertThat(endpoint.fullStarts()).isEqualTo(1);
    }

    @Test
    void helmStorageThatTheFullFetchingCouldNotReadLeavesTheSkippedListOnceReadAgain() throws Exception {
        connected.cluster().faults().forbid("", "secrets");
        start(Map.of("collector.resyncMinutes", "1"));
        await(() -> endpoint.current(CLUSTER) != null && helmStorageSkipped());
        connected.cluster().faults().clear();
        clock.shift(Duration.ofMinutes(2));
        awaitEqual();

        await(() -> !helmStorageSkipped() && !skippedTypes().contains("/secrets"));
        await(() -> records(RecordKind.HELM_RELEASES).equals(fresh(RecordKind.HELM_RELEASES)));
        assertThat(endpoint.commits()).as("the releases carried over under the entry are replaced")
                .anyMatch(commit -> commit.path("completeTypes").toString().contains("\"helmRelease\""));
        assertThat(endpoint.fullStarts()).isEqualTo(1);
    }

    @Test
    void anApiServerDownForAWhileIsWaitedOutReportedInReadinessAndCaughtUp() throws Exception {
        start(Map.of());
        awaitEqual();
        // the endpoint holds the commit before the collector has read its answer
        await(() -> health.readiness().ok());
        connected.cluster().suspend();
        try {
            putConfigMap("shop", "cm-while-api-down", "a");
            deleteConfigMap("shop", "cm-while-api-down");
            putConfigMap("shop", "cm-kept-while-api-down", "b");
            await(() -> health.readiness().reason().contains("API server is unreachable"));
            assertThat(health.readiness().ok()).isFalse();
            assertThat(running.isDone()).isFalse();
        } finally {
            connected.cluster().resume();
        }
        awaitEqual();
        await(() -> health.readiness().ok());
        assertThat(endpoint.fullStarts()).isEqualTo(1);
    }

    @Test
    void aProtocol10EndpointGetsFullFetchingsOnly() throws Exception {
        endpoint.protocol10(true);
        start(Map.of("collector.fullFetchingMinSeconds", "1"));
        awaitEqual();
        putConfigMap("shop", "cm-for-10", "a");
        awaitEqual();
        deleteConfigMap("shop", "cm-for-10");
        awaitEqual();
        assertThat(endpoint.fullCommits()).isGreaterThan(1);
        assertThat(endpoint.requests("deletions")).isZero();
    }

    @Test
    void stoppingShipsWhatIsPending() throws Exception {
        start(Map.of("collector.flushSeconds", "60", "collector.heartbeatSeconds", "600"));
        awaitEqual();
        double received = metrics.watchEventsReceived();
        putConfigMap("shop", "cm-at-stop", "a");
        // Stopped once the change is pending (the watch delivered it), long before the 60 s flush.
        await(() -> metrics.watchEventsReceived() > received);
        run.stop();
        assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo(ContinuousRun.STOPPED);
        run = null;
        assertThat(configMaps(endpoint.current(CLUSTER))).isEqualTo(clusterConfigMaps());
    }

    @Test
    void refusedCredentialsEndTheRun() throws Exception {
        endpoint.refuseTokens();
        start(Map.of());
        assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo(ContinuousRun.FAILED);
        run = null;
    }

    private void start(Map<String, String> keys) throws Exception {
        Path configDir = Files.createDirectory(dir.resolve("config"));
        Map<String, String> all = new HashMap<>(Map.of(
                "endpoint", endpoint.uri().toString(),
                "collector.mode", "continuous",
                "collector.resources.secrets", "true",
                "collector.metricsPort", "0",
                "collector.retry.maxAttempts", "2",
                "collector.retry.deadlineSeconds", "2"));
        all.putAll(keys);
        for (Map.Entry<String, String> key : all.entrySet()) {
            Files.writeString(configDir.resolve(key.getKey()), key.getValue());
        }
        Path kubeconfig = connected.cluster().writeKubeconfig(dir.resolve("kubeconfig"));
        Map<String, String> env = Map.of("HOME", dir.toString(), "INFRALIGHT_ACCESS_KEY", IngestEndpoint.ACCESS_KEY,
                "INFRALIGHT_SECRET_KEY", IngestEndpoint.SECRET_KEY);
        config = CollectorConfig.from(new CommandLineFlags(kubeconfig, configDir, false, false, CLUSTER, null,
                false), env);
        sink = new HttpSink(config.shipping());
        health = new CollectorHealth(Clock.systemUTC(), config.continuous().heartbeat());
        metrics = new CollectorMetrics();
        run = new ContinuousRun(config, connected.server(), sink, clock, health, metrics, QUICK);
        running = thread.submit(run::run);
    }

    /** Waits until the endpoint's snapshot holds the cluster's pods, ConfigMaps and Secrets, by uid. */
    private void awaitEqual() throws InterruptedException {
        await(() -> {
            ClusterSnapshot snapshot = endpoint.current(CLUSTER);
            return snapshot != null && configMaps(snapshot).equals(clusterConfigMaps())
                    && uids(snapshot, "Pod").equals(connected.cluster().store().uids("", "pods"))
                    && uids(snapshot, "Secret").equals(connected.cluster().store().uids("", "secrets"));
        });
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + SOON.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("the condition within %s", SOON).isLessThan(until);
            Thread.sleep(50);
        }
    }

    /** The ConfigMaps held as uid to resourceVersion: a modification that did not arrive shows. */
    private static Map<String, String> configMaps(ClusterSnapshot snapshot) {
        Map<String, String> versions = new HashMap<>();
        for (JsonNode object : snapshot.records(RecordKind.OBJECTS).values()) {
            if (object.path("kind").asString("").equals("ConfigMap")) {
                versions.put(object.path("metadata").path("uid").asString(),
                        object.path("metadata").path("resourceVersion").asString());
            }
        }
        return versions;
    }

    /** The cluster's ConfigMaps as uid to resourceVersion. */
    private static Map<String, String> clusterConfigMaps() {
        Map<String, String> versions = new HashMap<>();
        for (StoredObject stored : connected.cluster().store().snapshot(new TypeKey("", "configmaps")).objects()) {
            versions.put(stored.uid(), Json.MAPPER.readTree(stored.body()).path("metadata").path("resourceVersion")
                    .asString());
        }
        return versions;
    }

    /** The endpoint's current records of {@code kind}, by key. */
    private Map<String, JsonNode> records(RecordKind kind) {
        ClusterSnapshot snapshot = endpoint.current(CLUSTER);
        return snapshot == null ? Map.of() : snapshot.records(kind);
    }

    /** The objects, Helm releases or trees a full run sends now, by key, through a dry-run document. */
    private Map<String, JsonNode> fresh(RecordKind kind) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DryRunSink dryRun = new DryRunSink(out)) {
            new CollectionRun(config, connected.server(), dryRun, Clock.systemUTC()).run();
        }
        Map<String, JsonNode> records = new HashMap<>();
        for (JsonNode record : Json.MAPPER.readTree(out.toByteArray()).path(kind.field())) {
            RecordKey key = switch (kind) {
                case TREES -> RecordKey.tree(record.path("uid").asString());
                case OBJECTS -> RecordKey.object(record.path("metadata").path("uid").asString(),
                        record.path("apiVersion").asString(), record.path("kind").asString(),
                        record.path("metadata").path("namespace").asString(), record.path("metadata").path("name").asString());
                default -> RecordKey.helmRelease(record.path("source").asString(), record.path("namespace").asString(),
                        record.path("name").asString());
            };
            records.put(key.value(), record);
        }
        return records;
    }

    /**
     * Makes ConfigMap {@code doomed}, waits for it at the endpoint, then, while the ConfigMaps' watch
     * is stalled for {@code stall}, deletes it and adds {@code added}: what only a list can tell.
     */
    private MissedChanges missChanges(String doomed, String added, Duration stall) throws InterruptedException {
        putConfigMap("shop", doomed, "a");
        awaitEqual();
        String gone = configMapUid(doomed);
        connected.cluster().faults().stallWatches("", "configmaps", stall);
        Thread.sleep(300);
        deleteConfigMap("shop", doomed);
        putConfigMap("shop", added, "b");
        return new MissedChanges(gone, configMapUid(added), endpoint.pages().size(), connected.cluster().listRequests());
    }

    /** Changes the watches missed, and what the endpoint and the test cluster had seen before them. */
    private record MissedChanges(String goneUid, String addedUid, int pagesBefore, Map<String, Long> listsBefore) {}

    /**
     * Since {@code missed}: the added ConfigMap alone was sent, the gone one deleted, no full
     * fetching started, and every type listed at most once more.
     */
    private void assertOnlyThoseSent(MissedChanges missed) {
        List<IngestEndpoint.Page> pages = endpoint.pages().subList(missed.pagesBefore(), endpoint.pages().size());
        assertThat(keys(pages, "objects")).as("only what changed is sent again").containsExactly("u:" + missed.addedUid());
        assertThat(keys(pages, "deletions")).contains("u:" + missed.goneUid());
        assertThat(endpoint.fullStarts()).as("as a delta").isEqualTo(1);
        assertListedAtMostOnceMore(missed.listsBefore());
    }

    /** Every type path listed no more than once since {@code before}, beside Helm's storage (read again by its label). */
    private static void assertListedAtMostOnceMore(Map<String, Long> before) {
        Map<String, Long> after = connected.cluster().listRequests();
        for (Map.Entry<String, Long> path : after.entrySet()) {
            long more = path.getValue() - before.getOrDefault(path.getKey(), 0L);
            boolean helmStorage = path.getKey().equals("/api/v1/secrets") || path.getKey().equals("/api/v1/configmaps");
            assertThat(more).as("lists of %s", path.getKey()).isLessThanOrEqualTo(helmStorage ? 2 : 1);
        }
    }

    /** How many more list requests {@code path} had in {@code after} than in {@code before}. */
    private static long more(Map<String, Long> after, Map<String, Long> before, String path) {
        return after.getOrDefault(path, 0L) - before.getOrDefault(path, 0L);
    }

    /** The keys of the records or deletions in {@code pages} of {@code kind}. */
    private static List<String> keys(List<IngestEndpoint.Page> pages, String kind) {
        return pages.stream().filter(page -> page.kind().equals(kind)).flatMap(page -> page.keys().stream()).distinct().toList();
    }

    /** The types the endpoint's current snapshot holds as skipped, as group/resource. */
    private Set<String> skippedTypes() {
        ClusterSnapshot snapshot = endpoint.current(CLUSTER);
        Set<String> types = new HashSet<>();
        if (snapshot != null) {
            for (JsonNode entry : snapshot.skipped()) {
                if (entry.path("kind").asString("").equals("type")) {
                    types.add(entry.path("group").asString("") + "/" + entry.path("resource").asString(""));
                }
            }
        }
        return types;
    }

    /** Whether the endpoint's current snapshot holds Helm's storage as not read. */
    private boolean helmStorageSkipped() {
        ClusterSnapshot snapshot = endpoint.current(CLUSTER);
        return snapshot != null && snapshot.skipped().stream().anyMatch(entry -> entry.path("kind").asString("")
                .equals("record") && entry.path("recordKind").asString("").equals("helmRelease")
                && entry.path("source").asString("").equals("helm"));
    }

    /** The system clock, moved on by hand: a resync is due without waiting for it. */
    private static final class ShiftedClock extends Clock {
        private volatile Duration shift = Duration.ZERO;

        void shift(Duration by) {
            shift = shift.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the shifted clock is UTC");
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(shift);
        }
    }

    private static Set<String> uids(ClusterSnapshot snapshot, String kind) {
        Set<String> uids = new HashSet<>();
        for (JsonNode object : snapshot.records(RecordKind.OBJECTS).values()) {
            if (object.path("kind").asString("").equals(kind)) {
                uids.add(object.path("metadata").path("uid").asString());
            }
        }
        return uids;
    }

    private void assertNoSecretSent() {
        String encoded = Base64.getEncoder().encodeToString(SECRET_VALUE.getBytes(StandardCharsets.UTF_8));
        for (byte[] body : endpoint.bodies()) {
            String text = new String(body, StandardCharsets.UTF_8);
            assertThat(text).doesNotContain(SECRET_VALUE).doesNotContain(encoded);
        }
    }

    private static void putConfigMap(String namespace, String name, String value) {
        put("ConfigMap", namespace, name, "value", value);
    }

    private static void putSecret(String namespace, String name) {
        put("Secret", namespace, name, "password",
                Base64.getEncoder().encodeToString(SECRET_VALUE.getBytes(StandardCharsets.UTF_8)));
    }

    private static void put(String kind, String namespace, String name, String key, String value) {
        ObjectNode object = Json.MAPPER.createObjectNode();
        object.put("apiVersion", "v1");
        object.put("kind", kind);
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        object.putObject("data").put(key, value);
        connected.cluster().store().put(object);
    }

    private static String configMapUid(String name) {
        return connected.cluster().store().get("", "configmaps", "shop", name).orElseThrow().path("metadata").path("uid")
                .asString();
    }

    private static void deleteConfigMap(String namespace, String name) {
        connected.cluster().store().delete("", "configmaps", namespace, name);
    }
}
