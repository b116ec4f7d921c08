package io.k8scollector.collector.listing;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.collector.ConnectedCluster;
import io.k8scollector.collector.config.CollectorConfig.Selection;
import io.k8scollector.collector.config.ConfigSource;
import io.k8scollector.collector.config.KubeAccess;
import io.k8scollector.collector.config.RedactionSettings;
import io.k8scollector.collector.discovery.RequestRate;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.redaction.Redactor;
import io.k8scollector.collector.retry.FakeTime;
import io.k8scollector.collector.retry.Retrier;
import io.k8scollector.collector.retry.RetryPolicy;
import io.k8scollector.protocol.Skipped;
import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.catalog.TypeKey;
import io.k8scollector.testkit.store.StoredObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/** ConcurrentLister against the test cluster, page by page, with each fault a real API server produces. */
class TypeListerTest {

    private static final List<String> VERBS = List.of("get", "list", "watch");
    private static final ResourceType PODS = new ResourceType("", "v1", "Pod", "pods", true, VERBS);
    private static final ResourceType WIDGETS = new ResourceType("example.com", "v1", "Widget", "widgets", true, VERBS);
    private static final Selection EVERYTHING = new Selection(List.of(), java.util.Map.of(), List.of(), null, Set.of(), null);

    @RegisterExtension
    static final ConnectedCluster connected = new ConnectedCluster(ClusterSpec.builder().pods(120).seed(7).build());

    /** The retrier's time: a retry's wait passes at once and is remembered. */
    private final FakeTime time = new FakeTime();

    private TypeLister lister(Selection selection) {
        return new TypeLister(connected.server(), selection, 25, new RequestRate(1000), time.retrier());
    }

    private ListingOutcome list(ResourceType type, Selection selection, List<ObjectNode> into) {
        return lister(selection).list(type, ItemReader.TREE, listed -> into.add(listed.head()));
    }

    private long podListRequests() {
        return connected.cluster().requests().getOrDefault("/api/v1/pods", 0L);
    }

    private static List<String> uids(List<ObjectNode> objects) {
        return objects.stream().map(o -> o.path("metadata").path("uid").asString()).toList();
    }

    private static Set<String> stored(String group, String resource, Predicate<StoredObject> filter) {
        return Set.copyOf(connected.cluster().store().type(new TypeKey(group, resource)).all().stream()
                .filter(filter).map(StoredObject::uid).toList());
    }

    @Test
    void aMetadataListingGivesEachObjectsHeadAsItsTypeWithTheListsResourceVersion() {
        List<ObjectNode> heads = new ArrayList<>();
        List<ObjectNode> objects = new ArrayList<>();

        ListingOutcome listing = lister(EVERYTHING).metadataOnly().list(PODS, ItemReader.METADATA,
                listed -> heads.add(listed.head()));
        list(PODS, EVERYTHING, objects);

        assertThat(listing.complete()).isTrue();
        assertThat(listing.resourceVersion()).isEqualTo(String.valueOf(connected.cluster().store().resourceVersion()));
        assertThat(uids(heads)).containsExactlyElementsOf(uids(objects));
        assertThat(heads).allSatisfy(head -> {
            assertThat(head.propertyNames()).containsExactly("apiVersion", "kind", "metadata");
            assertThat(head.path("apiVersion").asString()).isEqualTo("v1");
            assertThat(head.path("kind").asString()).isEqualTo("Pod");
            assertThat(head.path("metadata").has("managedFields")).isFalse();
        });
        assertThat(heads.get(0).path("metadata")).isEqualTo(objects.get(0).path("metadata"));
    }

    @Test
    void aServerThatDoesNotServeMetadataListsIsToldApartFromAFailure() {
        connected.cluster().faults().refuseMetadataLists();

        ListingOutcome listing = lister(EVERYTHING).metadataOnly().list(PODS, ItemReader.METADATA, listed -> { });

        assertThat(listing.complete()).isFalse();
        assertThat(listing.notAcceptable()).isTrue();
        assertThat(list(PODS, EVERYTHING, new ArrayList<>()).notAcceptable()).isFalse();
    }

    @Test
    void listingOneObjectByItsNameReadsItAloneAndNothingWhenItIsGone() {
        List<ObjectNode> objects = new ArrayList<>();
        list(PODS, EVERYTHING, objects);
        ObjectNode pod = objects.get(7);
        String namespace = pod.path("metadata").path("namespace").asString();
        List<ObjectNode> one = new ArrayList<>();
        List<ObjectNode> none = new ArrayList<>();

        ListingOutcome found = lister(EVERYTHING).listOne(PODS, namespace, pod.path("metadata").path("name").asString(),
                ItemReader.TREE, listed -> one.add(listed.head()));
        ListingOutcome gone = lister(EVERYTHING).listOne(PODS, namespace, "no-such-pod", ItemReader.TREE,
                listed -> none.add(listed.head()));

        assertThat(found.complete()).isTrue();
        assertThat(one).containsExactly(pod);
        assertThat(gone.complete()).isTrue();
        assertThat(none).isEmpty();
        assertThat(connected.cluster().listRequests()).containsKey("/api/v1/namespaces/" + namespace + "/pods");
    }

    @Test
    void pagesThroughEveryObjectSettingApiVersionAndKindAndDroppingManagedFields() {
        List<ObjectNode> objects = new ArrayList<>();

        ListingOutcome listing = list(PODS, EVERYTHING, objects);

        assertThat(listing.complete()).isTrue();
        assertThat(listing.objects()).isEqualTo(connected.cluster().store().count("", "pods")).isGreaterThan(100);
        assertThat(uids(objects)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(connected.cluster().store().uids("", "pods"));
        assertThat(objects).allSatisfy(pod -> {
            assertThat(pod.path("apiVersion").asString()).isEqualTo("v1");
            assertThat(pod.path("kind").asString()).isEqualTo("Pod");
            assertThat(pod.path("metadata").has("managedFields")).isFalse();
            assertThat(pod.path("spec").path("containers").isArray()).isTrue();
        });
        assertThat(objects.get(0).propertyNames().iterator().next()).isEqualTo("apiVersion");
    }

    @Test
    void customResourcesKeepTheApiVersionTheServerSent() {
        List<ObjectNode> objects = new ArrayList<>();

        list(WIDGETS, EVERYTHING, objects);

        assertThat(uids(objects)).containsExactlyInAnyOrderElementsOf(connected.cluster().store().uids("example.com", "widgets"));
        assertThat(objects).allSatisfy(widget -> assertThat(widget.path("apiVersion").asString()).isEqualTo("example.com/v1"));
    }

    @Test
    void anExpiredContinueTokenRestartsTheTypeWithoutEmittingTwice() {
        connected.cluster().faults().expireContinueOnce("", "pods");
        List<ObjectNode> objects = new ArrayList<>();

        ListingOutcome listing = list(PODS, EVERYTHING, objects);

        assertThat(listing.complete()).isTrue();
        assertThat(uids(objects)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(connected.cluster().store().uids("", "pods"));
    }

    @Test
    void eachPageIsAskedForOnceThoughTheNextIsAskedForBeforeItsItemsAreRead() {
        long before = podListRequests();
        List<ObjectNode> objects = new ArrayList<>();

        ListingOutcome listing = list(PODS, EVERYTHING, objects);

        long pages = (connected.cluster().store().count("", "pods") + 24) / 25;
        assertThat(listing.complete()).isTrue();
        assertThat(connected.cluster().requests().get("/api/v1/pods") - before).isEqualTo(pages);
    }

    @Test
    void aPageThatBreaksOffAfterTheNextWasAskedForIsReadAgainWithoutLosingOrRepeatingAnObject() {
        connected.cluster().faults().breakOffOnce("", "pods");
        List<ObjectNode> objects = new ArrayList<>();

        ListingOutcome listing = list(PODS, EVERYTHING, objects);

        assertThat(listing.complete()).isTrue();
        assertThat(uids(objects)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(connected.cluster().store().uids("", "pods"));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503})
    void aServerErrorIsRetried(int status) {
        connected.cluster().faults().failOnce("", "pods", status);
        List<ObjectNode> objects = new ArrayList<>();

        assertThat(list(PODS, EVERYTHING, objects).complete()).isTrue();
        assertThat(uids(objects)).containsExactlyInAnyOrderElementsOf(connected.cluster().store().uids("", "pods"));
        assertThat(time.waits()).hasSize(1);
    }

    @Test
    void tooManyRequestsIsRetriedAfterTheServersDelay() {
        // Longer than any first backoff of the policy (at most 500 ms), so the wait is the server's.
        connected.cluster().faults().throttleOnce("", "pods", 3);
        List<ObjectNode> objects = new ArrayList<>();

        assertThat(list(PODS, EVERYTHING, objects).complete()).isTrue();
        assertThat(uids(objects)).containsExactlyInAnyOrderElementsOf(connected.cluster().store().uids("", "pods"));
        assertThat(time.waits()).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void aTypeWhosePagesKeepFailingIsSkippedAsFailedAfterThePolicysAttempts() {
        connected.cluster().faults().failAlways("", "pods", 503);
        long before = podListRequests();
        List<ObjectNode> objects = new ArrayList<>();

        ListingOutcome listing = list(PODS, EVERYTHING, objects);

        assertThat(objects).isEmpty();
        assertThat(listing.skipReason()).isEqualTo(Skipped.Reason.FAILED);
        assertThat(listing.message()).contains("HTTP 503").contains("/api/v1/pods").contains("after 8 attempts");
        assertThat(podListRequests() - before).isEqualTo(RetryPolicy.DEFAULT_MAX_ATTEMPTS);
        assertThat(time.waits()).hasSize(RetryPolicy.DEFAULT_MAX_ATTEMPTS - 1);
    }

    @Test
    void theDeadlineEndsTheRetriesBeforeTheAttemptsRunOut() {
        connected.cluster().faults().failAlways("", "pods", 503);
        Retrier impatient = time.retrier(RetryPolicy.of(100, Duration.ofSeconds(5)));

        ListingOutcome listing = new TypeLister(connected.server(), EVERYTHING, 25, new RequestRate(1000), impatient)
                .list(PODS, ItemReader.TREE, listed -> { });

        assertThat(listing.skipReason()).isEqualTo(Skipped.Reason.FAILED);
        assertThat(time.waits()).isNotEmpty().hasSizeLessThan(99);
        assertThat(time.waits().stream().reduce(Duration.ZERO, Duration::plus)).isLessThan(Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 409, 422})
    void anotherClientErrorSkipsTheTypeAsFailedWithoutRetrying(int status) {
        connected.cluster().faults().failAlways("", "pods", status);
        long before = podListRequests();

        ListingOutcome listing = list(PODS, EVERYTHING, new ArrayList<>());

        assertThat(listing.skipReason()).isEqualTo(Skipped.Reason.FAILED);
        assertThat(listing.message()).contains("HTTP " + status).contains("/api/v1/pods");
        assertThat(podListRequests() - before).isEqualTo(1);
        assertThat(time.waits()).isEmpty();
    }

    @Test
    void aForbiddenTypeIsSkippedWithTheReason() {
        connected.cluster().faults().forbid("", "pods");
        List<ObjectNode> objects = new ArrayList<>();

        ListingOutcome listing = list(PODS, EVERYTHING, objects);

        assertThat(objects).isEmpty();
        assertThat(listing.skipped()).hasValueSatisfying(skipped -> {
            assertThat(skipped.subject()).isEqualTo(Skipped.TYPE);
            assertThat(skipped.reason()).isEqualTo("forbidden");
            assertThat(skipped.resource()).isEqualTo("pods");
            assertThat(skipped.message()).contains("HTTP 403").contains("/api/v1/pods");
        });
    }

    @Test
    void aTypeTheServerDoesNotKnowIsSkippedAsNotFound() {
        ResourceType missing = new ResourceType("example.com", "v1", "Gizmo", "gizmos", true, VERBS);

        assertThat(list(missing, EVERYTHING, new ArrayList<>()).skipReason()).isEqualTo(Skipped.Reason.NOT_FOUND);
    }

    @Test
    void watchNamespaceListsOnlyThereAndIgnoredNamespacesAreNeverEmitted() {
        List<ObjectNode> watched = new ArrayList<>();
        list(PODS, new Selection(List.of(), java.util.Map.of(), List.of(), "shop", Set.of(), null), watched);
        List<ObjectNode> others = new ArrayList<>();
        list(PODS, new Selection(List.of(), java.util.Map.of(), List.of(), null, Set.of("shop", "kube-system"), null), others);

        assertThat(uids(watched)).isNotEmpty().containsExactlyInAnyOrderElementsOf(stored("", "pods", o -> "shop".equals(o.namespace())));
        assertThat(uids(others)).isNotEmpty().containsExactlyInAnyOrderElementsOf(
                stored("", "pods", o -> !Set.of("shop", "kube-system").contains(o.namespace())));
    }

    @Test
    void theLabelSelectorGoesToTheServer() {
        List<ObjectNode> objects = new ArrayList<>();
        list(PODS, new Selection(List.of(), java.util.Map.of(), List.of(), null, Set.of(), "tier=data"), objects);

        assertThat(uids(objects)).isNotEmpty().containsExactlyInAnyOrderElementsOf(
                stored("", "pods", o -> "data".equals(o.labels().get("tier"))));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anObjectTheParserRefusesIsSkippedAloneAndTheRestOfTheTypeStillListed(boolean redactingCopy) {
        ItemReader reader = redactingCopy
                ? Redactor.from(RedactionSettings.from(ConfigSource.of(java.util.Map.of()), java.util.Map.of(),
                        KubeAccess.inCluster(), true)).copy()
                : ItemReader.TREE;
        TypeKey pods = new TypeKey("", "pods");
        List<String> planted = List.of("deep", "deep-in-metadata", "huge-number", "huge-float", "long-name");
        plant(pods, "deep", "\"spec\":{\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}");
        plant(pods, "huge-number", "\"spec\":{\"priority\":" + "7".repeat(1001) + "}");
        plant(pods, "huge-float", "\"spec\":{\"ratio\":0." + "5".repeat(1200) + "}");
        plant(pods, "long-name", "\"spec\":{\"" + "n".repeat(60_000) + "\":1}");
        connected.cluster().store().putRaw(pods, "default", "deep-in-metadata", "uid-deep-in-metadata",
                ("{\"metadata\":{\"labels\":" + "{\"a\":".repeat(600) + "1" + "}".repeat(600) + "}}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        plant(pods, "just-deep-enough", "\"spec\":" + "[".repeat(497) + "]".repeat(497));
        try {
            List<String> names = new ArrayList<>();

            ListingOutcome listing = lister(EVERYTHING)
                    .list(PODS, reader, listed -> names.add(listed.metadata().path("name").asString()));

            assertThat(listing.complete()).isTrue();
            assertThat(names).doesNotHaveDuplicates().contains("just-deep-enough").doesNotContainAnyElementsOf(planted)
                    .hasSize(connected.cluster().store().count("", "pods") - planted.size());
            assertThat(listing.refused()).extracting(Skipped::subject, Skipped::resource, Skipped::reason)
                    .containsOnly(org.assertj.core.groups.Tuple.tuple("object", "pods", "unparseable"));
            assertThat(listing.refused()).extracting(Skipped::name)
                    .containsExactlyInAnyOrder("deep", "huge-number", "huge-float", "long-name", null);
            assertThat(listing.refused()).extracting(Skipped::message).anySatisfy(message -> assertThat(message)
                    .contains("deeper than 500 levels")).anySatisfy(message -> assertThat(message)
                    .contains("a number of 1001 characters")).anySatisfy(message -> assertThat(message)
                    .contains("a property name of 60000 characters"));
        } finally {
            for (String name : List.of("deep", "deep-in-metadata", "huge-number", "huge-float", "long-name",
                    "just-deep-enough")) {
                connected.cluster().store().delete("", "pods", "default", name);
            }
        }
    }

    private static void plant(TypeKey type, String name, String rest) {
        String body = "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\",\"uid\":\"uid-" + name + "\"},"
                + rest + "}";
        connected.cluster().store().putRaw(type, "default", name, "uid-" + name,
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
