package io.k8scollector.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.k8scollector.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class WatchTest {

    private static final String CONFIGMAPS = "/api/v1/namespaces/shop/configmaps";

    @RegisterExtension
    static final RunningCluster running = new RunningCluster(ClusterSpec.builder().pods(30)
            .bookmarkInterval(Duration.ofMillis(200)).maxWatch(Duration.ofSeconds(4)).build());

    @Test
    void replaysEveryChangeAfterTheListsResourceVersion() throws Exception {
        long listed = listResourceVersion(CONFIGMAPS);
        try (WatchClient watch = running.client().watch(CONFIGMAPS + "?watch=1&resourceVersion=" + listed)) {
            assertThat(watch.statusCode()).isEqualTo(200);
            put("replayed", "team", "a");
            long created = storedResourceVersion("replayed");
            put("replayed", "team", "b");
            long modified = storedResourceVersion("replayed");
            running.cluster().store().delete("", "configmaps", "shop", "replayed");
            List<JsonNode> events = watch.next(3);
            assertThat(events).extracting(e -> e.path("type").asString())
                    .containsExactly("ADDED", "MODIFIED", "DELETED");
            assertThat(events).extracting(e -> e.path("object").path("metadata").path("name").asString())
                    .containsOnly("replayed");
            assertThat(events).extracting(e -> e.path("object").path("apiVersion").asString() + " "
                    + e.path("object").path("kind").asString()).containsOnly("v1 ConfigMap");
            assertThat(resourceVersion(events.get(0))).isEqualTo(created).isGreaterThan(listed);
            assertThat(resourceVersion(events.get(1))).isEqualTo(modified);
            assertThat(resourceVersion(events.get(2))).isEqualTo(running.cluster().store().resourceVersion());
            assertThat(events.get(1).path("object").path("metadata").path("labels").path("team").asString())
                    .isEqualTo("b");
        }
    }

    @Test
    void startsWithTheCurrentObjectsWithoutAResourceVersion() throws Exception {
        Set<String> current = names(running.client().json(CONFIGMAPS));
        for (String query : List.of("?watch=true", "?watch=1&resourceVersion=0")) {
            try (WatchClient watch = running.client().watch(CONFIGMAPS + query)) {
                List<JsonNode> initial = watch.next(current.size());
                assertThat(initial).extracting(e -> e.path("type").asString()).containsOnly("ADDED");
                assertThat(initial).extracting(e -> e.path("object").path("metadata").path("name").asString())
                        .containsExactlyInAnyOrderElementsOf(current);
                put("after-initial", "team", query);
                JsonNode change = watch.next();
                assertThat(change.path("object").path("metadata").path("name").asString()).isEqualTo("after-initial");
            }
            running.cluster().store().delete("", "configmaps", "shop", "after-initial");
        }
    }

    @Test
    void bookmarksCarryOnlyTheResourceVersionAndFollowTheChanges() throws Exception {
        long listed = listResourceVersion(CONFIGMAPS);
        try (WatchClient watch = running.client().watch(CONFIGMAPS + "?watch=1&allowWatchBookmarks=true"
                + "&resourceVersion=" + listed)) {
            JsonNode bookmark = nextBookmark(watch);
            assertThat(bookmark.path("object").path("kind").asString()).isEqualTo("ConfigMap");
            assertThat(bookmark.path("object").path("apiVersion").asString()).isEqualTo("v1");
            assertThat(bookmark.path("object").path("metadata").propertyNames()).containsExactly("resourceVersion");
            assertThat(resourceVersion(bookmark)).isGreaterThanOrEqualTo(listed);
            put("bookmarked", "team", "a");
            long changed = storedResourceVersion("bookmarked");
            JsonNode later = nextBookmark(watch);
            assertThat(resourceVersion(later)).isGreaterThanOrEqualTo(changed);
        }
        running.cluster().store().delete("", "configmaps", "shop", "bookmarked");
    }

    @Test
    void noBookmarksUnlessAskedFor() throws Exception {
        try (WatchClient watch = running.client().watch(CONFIGMAPS + "?watch=1&resourceVersion="
                + running.cluster().store().resourceVersion())) {
            assertThat(watch.poll(Duration.ofMillis(700))).isNull();
        }
    }

    @Test
    void theServerEndsAWatchAfterItsTimeoutOrItsCap() throws Exception {
        long now = running.cluster().store().resourceVersion();
        try (WatchClient timed = running.client().watch(CONFIGMAPS + "?watch=1&timeoutSeconds=1&resourceVersion=" + now);
                WatchClient capped = running.client().watch(CONFIGMAPS + "?watch=1&timeoutSeconds=3600"
                        + "&resourceVersion=" + now)) {
            assertThat(timed.end()).isNull();
            assertThat(capped.end()).isNull();
        }
    }

    @Test
    void aCompactedHistoryAnswersAnErrorEventWith410() throws Exception {
        long listed = listResourceVersion(CONFIGMAPS);
        put("compacted", "team", "a");
        running.cluster().store().compact();
        try (WatchClient watch = running.client().watch(CONFIGMAPS + "?watch=1&resourceVersion=" + listed)) {
            assertThat(watch.statusCode()).isEqualTo(200);
            JsonNode error = watch.next();
            assertThat(error.path("type").asString()).isEqualTo("ERROR");
            assertThat(error.path("object").path("kind").asString()).isEqualTo("Status");
            assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
            assertThat(error.path("object").path("reason").asString()).isEqualTo("Expired");
            assertThat(error.path("object").path("message").asString()).startsWith("too old resource version: " + listed);
            assertThat(watch.end()).isNull();
        }
        running.cluster().faults().answerExpiredWatchesWith410();
        JsonNode status = running.client().json(CONFIGMAPS + "?watch=1&resourceVersion=" + listed);
        assertThat(status.path("code").asInt()).isEqualTo(410);
        assertThat(running.client().get(CONFIGMAPS + "?watch=1&resourceVersion=" + listed).statusCode()).isEqualTo(410);
        running.cluster().store().delete("", "configmaps", "shop", "compacted");
    }

    @Test
    void selectorsTurnObjectsThatStopMatchingIntoDeletions() throws Exception {
        long listed = listResourceVersion(CONFIGMAPS);
        try (WatchClient labelled = running.client().watch(CONFIGMAPS + "?watch=1&labelSelector=watched%3Dyes"
                + "&resourceVersion=" + listed);
                WatchClient named = running.client().watch("/api/v1/configmaps?watch=1"
                        + "&fieldSelector=metadata.name%3Dselected-2,metadata.namespace%3Dshop&resourceVersion=" + listed)) {
            put("selected-1", "watched", "yes");
            put("selected-2", "watched", "no");
            put("selected-1", "watched", "no");
            put("selected-2", "watched", "yes");
            put("selected-2", "watched", "yes");
            assertThat(labelled.next(4)).extracting(e -> e.path("type").asString() + " "
                    + e.path("object").path("metadata").path("name").asString()).containsExactly(
                    "ADDED selected-1", "DELETED selected-1", "ADDED selected-2", "MODIFIED selected-2");
            assertThat(named.next(3)).extracting(e -> e.path("type").asString() + " "
                    + e.path("object").path("metadata").path("name").asString()).containsExactly(
                    "ADDED selected-2", "MODIFIED selected-2", "MODIFIED selected-2");
        }
        running.cluster().store().delete("", "configmaps", "shop", "selected-1");
        running.cluster().store().delete("", "configmaps", "shop", "selected-2");
    }

    @Test
    void everyWatcherOfATypeGetsEveryEvent() throws Exception {
        long listed = listResourceVersion(CONFIGMAPS);
        List<WatchClient> watches = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                watches.add(running.client().watch(CONFIGMAPS + "?watch=1&resourceVersion=" + listed));
            }
            for (int i = 0; i < 5; i++) {
                put("shared-" + i, "team", "a");
            }
            List<List<Long>> seen = new ArrayList<>();
            for (WatchClient watch : watches) {
                seen.add(watch.next(5).stream().map(WatchTest::resourceVersion).toList());
            }
            assertThat(seen.get(0)).hasSize(5).isSorted().doesNotHaveDuplicates();
            assertThat(seen).containsOnly(seen.get(0));
        } finally {
            watches.forEach(WatchClient::close);
        }
        for (int i = 0; i < 5; i++) {
            running.cluster().store().delete("", "configmaps", "shop", "shared-" + i);
        }
    }

    @Test
    void openWatchesNeverDelayOtherRequests() {
        List<WatchClient> watches = new ArrayList<>();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int i = 0; i < 40; i++) {
                    watches.add(running.client().watch("/api/v1/pods?watch=1&resourceVersion="
                            + running.cluster().store().resourceVersion()));
                }
                assertThat(running.client().json("/api/v1/pods").get("items")).hasSize(30);
                assertThat(running.client().get("/version").statusCode()).isEqualTo(200);
            });
        } finally {
            watches.forEach(WatchClient::close);
        }
    }

    @Test
    void droppedWatchesAreCutOffMidStreamAndNewOnesWork() throws Exception {
        long listed = listResourceVersion(CONFIGMAPS);
        try (WatchClient watch = running.client().watch(CONFIGMAPS + "?watch=1&resourceVersion=" + listed)) {
            put("dropped", "team", "a");
            assertThat(watch.next().path("type").asString()).isEqualTo("ADDED");
            running.cluster().faults().dropWatches();
            assertThat(watch.end()).as("the stream breaks off rather than ending").isNotNull();
        }
        try (WatchClient again = running.client().watch(CONFIGMAPS + "?watch=1&resourceVersion=" + listed)) {
            assertThat(again.next().path("object").path("metadata").path("name").asString()).isEqualTo("dropped");
        }
        running.cluster().store().delete("", "configmaps", "shop", "dropped");
    }

    @Test
    void aStalledWatchDeliversWhatHappenedOnceTheStallEnds() throws Exception {
        long listed = listResourceVersion(CONFIGMAPS);
        try (WatchClient watch = running.client().watch(CONFIGMAPS + "?watch=1&allowWatchBookmarks=true"
                + "&resourceVersion=" + listed)) {
            running.cluster().faults().stallWatches("", "configmaps", Duration.ofMillis(1500));
            JsonNode early = watch.poll(Duration.ofMillis(300));
            put("stalled", "team", "a");
            assertThat(watch.poll(Duration.ofMillis(500))).isNull();
            JsonNode change = watch.next();
            assertThat(change.path("object").path("metadata").path("name").asString()).isEqualTo("stalled");
            assertThat(early == null || early.path("type").asString().equals("BOOKMARK")).isTrue();
        }
        running.cluster().store().delete("", "configmaps", "shop", "stalled");
    }

    @Test
    void refusesWatchesOfTypesWithoutTheVerbAndBadResourceVersions() {
        assertThat(running.client().json("/apis/metrics.k8s.io/v1beta1/pods?watch=1").path("code").asInt())
                .isEqualTo(405);
        JsonNode bad = running.client().json(CONFIGMAPS + "?watch=1&resourceVersion=yesterday");
        assertThat(bad.path("code").asInt()).isEqualTo(400);
        assertThat(bad.path("message").asString()).contains("yesterday");
    }

    @Test
    void adminRequestsAreChangesThatWatchesSee() throws Exception {
        long listed = listResourceVersion(CONFIGMAPS);
        try (WatchClient watch = running.client().watch(CONFIGMAPS + "?watch=1&resourceVersion=" + listed)) {
            String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"by-admin\","
                    + "\"namespace\":\"shop\"}}";
            assertThat(running.client().send("POST", "/testkit/objects", body).statusCode()).isEqualTo(204);
            assertThat(running.client().send("DELETE", "/testkit/objects/core/configmaps/shop/by-admin", null)
                    .statusCode()).isEqualTo(204);
            assertThat(watch.next(2)).extracting(e -> e.path("type").asString()).containsExactly("ADDED", "DELETED");
        }
        assertThat(running.client().send("POST", "/testkit/faults/compact", null).statusCode()).isEqualTo(204);
        assertThat(running.client().send("POST", "/testkit/faults/expired-watch-410", null).statusCode())
                .isEqualTo(204);
        assertThat(running.client().get(CONFIGMAPS + "?watch=1&resourceVersion=" + listed).statusCode()).isEqualTo(410);
        assertThat(running.client().send("POST", "/testkit/faults/stall-watches?group=&resource=configmaps&seconds=1",
                null).statusCode()).isEqualTo(204);
        assertThat(running.cluster().faults().stallNanos(new io.k8scollector.testkit.catalog.TypeKey("", "configmaps")))
                .isPositive();
        long drops = running.cluster().faults().watchDrops();
        assertThat(running.client().send("POST", "/testkit/faults/drop-watches", null).statusCode()).isEqualTo(204);
        assertThat(running.cluster().faults().watchDrops()).isEqualTo(drops + 1);
    }

    private static JsonNode nextBookmark(WatchClient watch) throws InterruptedException {
        while (true) {
            JsonNode event = watch.nextOfAnyType();
            if (event.path("type").asString().equals("BOOKMARK")) {
                return event;
            }
        }
    }

    private static void put(String name, String label, String value) {
        ObjectNode map = Json.MAPPER.createObjectNode();
        map.put("apiVersion", "v1");
        map.put("kind", "ConfigMap");
        ObjectNode metadata = map.putObject("metadata");
        metadata.put("name", name);
        metadata.put("namespace", "shop");
        metadata.putObject("labels").put(label, value);
        running.cluster().store().put(map);
    }

    private static long storedResourceVersion(String name) {
        return running.cluster().store().get("", "configmaps", "shop", name).orElseThrow()
                .path("metadata").path("resourceVersion").asLong();
    }

    private static long listResourceVersion(String path) {
        return running.client().json(path).path("metadata").path("resourceVersion").asLong();
    }

    private static long resourceVersion(JsonNode event) {
        return event.path("object").path("metadata").path("resourceVersion").asLong();
    }

    private static Set<String> names(JsonNode list) {
        Set<String> names = new HashSet<>();
        list.get("items").forEach(item -> names.add(item.path("metadata").path("name").asString()));
        return names;
    }
}
