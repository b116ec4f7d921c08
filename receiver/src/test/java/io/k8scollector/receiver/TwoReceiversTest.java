package io.k8scollector.receiver;

import static io.k8scollector.receiver.TestObjects.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKind;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Two receivers (two {@code ReceiverServer}s with pools of their own) on one PostgreSQL schema,
 * as replicas behind a load balancer: a cluster's deltas sent alternately through both, many
 * clusters committing at once through both, and first fetchings of one new cluster (whose pages
 * write versions directly) sent at once through both. Nothing is process-local that breaks this:
 * every snapshot reads back exact through either receiver, and no request gets a 5xx.
 */
class TwoReceiversTest {

    private static final Map<String, Object> COLLECTOR = Map.of("version", "1.1.0", "mode", "continuous");

    private String url;
    private TestReceiver one;
    private TestReceiver two;

    @BeforeEach
    void start() {
        url = TestDatabases.freshPostgresSchema();
        one = new TestReceiver(url, 3);
        two = new TestReceiver(url, 3);
    }

    @AfterEach
    void stop() {
        one.close();
        two.close();
        TestDatabases.dropPostgresSchema(url);
    }

    @Test
    @Timeout(120)
    void deltasOfOneClusterSentAlternatelyThroughBothReadBackExact() {
        TreeSet<String> expected = new TreeSet<>();
        String base = null;
        for (int i = 0; i < 12; i++) {
            TestReceiver via = i % 2 == 0 ? one : two;
            TestReceiver reader = i % 2 == 0 ? two : one;
            List<Object> sent = List.of(configMap("x" + i, "a", "cm" + i, "x", "1"));
            List<Deletion> deleted = i >= 3 ? List.of(Deletion.object("x" + (i - 3), "v1", "ConfigMap", "a", "cm" + (i - 3)))
                    : List.of();
            base = fetching(via, "alternate", base, sent, deleted);
            expected.add("cm" + i);
            if (i >= 3) {
                expected.remove("cm" + (i - 3));
            }
            assertThat(names(reader, "alternate")).as("after fetching " + i).containsExactlyElementsOf(expected);
        }
    }

    @Test
    @Timeout(300)
    void concurrentCommitsOfManyClustersThroughBothAreExact() throws Exception {
        int clusters = 16;
        int deltas = 6;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<TreeSet<String>>> runs = new ArrayList<>();
            for (int n = 0; n < clusters; n++) {
                String cluster = "many-" + n;
                runs.add(pool.submit(() -> {
                    TreeSet<String> expected = new TreeSet<>();
                    String base = null;
                    for (int i = 0; i <= deltas; i++) {
                        List<Object> sent = new ArrayList<>();
                        for (int k = 0; k < 20; k++) {
                            sent.add(configMap(cluster + "-" + i + "-" + k, "a", "cm-" + i + "-" + k, "x", "v"));
                            expected.add("cm-" + i + "-" + k);
                        }
                        List<Deletion> deleted = new ArrayList<>();
                        if (i > 0) {
                            deleted.add(Deletion.object(cluster + "-" + (i - 1) + "-0", "v1", "ConfigMap", "a",
                                    "cm-" + (i - 1) + "-0"));
                            expected.remove("cm-" + (i - 1) + "-0");
                        }
                        base = fetching((i + cluster.hashCode()) % 2 == 0 ? one : two, cluster, base, sent, deleted);
                    }
                    return expected;
                }));
            }
            for (int n = 0; n < clusters; n++) {
                TreeSet<String> expected = runs.get(n).get(240, TimeUnit.SECONDS);
                assertThat(names(one, "many-" + n)).containsExactlyElementsOf(expected);
                assertThat(names(two, "many-" + n)).containsExactlyElementsOf(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(120)
    void firstFetchingsOfOneNewClusterSentAtOnceThroughBothLeaveTheSnapshotOfTheLastCommitted() throws Exception {
        String cluster = "new-at-once";
        int fetchings = 4;
        ExecutorService pool = Executors.newFixedThreadPool(fetchings);
        try {
            Map<String, TreeSet<String>> sentBy = new HashMap<>();
            List<Future<?>> runs = new ArrayList<>();
            for (int n = 0; n < fetchings; n++) {
                String id = FetchingId.generate(Instant.now());
                TreeSet<String> names = new TreeSet<>(List.of("shared"));
                List<List<Object>> pages = new ArrayList<>();
                for (int p = 0; p < 3; p++) {
                    List<Object> page = new ArrayList<>();
                    for (int k = 0; k < 10; k++) {
                        String name = "f" + n + "-" + p + "-" + k;
                        page.add(configMap(cluster + "-" + name, "a", name, "x", "v"));
                        names.add(name);
                    }
                    pages.add(page);
                }
                // The same object, with the same body, in every fetching: their pages share its body.
                pages.get(n % 3).add(configMap(cluster + "-shared", "a", "shared", "x", "v"));
                sentBy.put(id, names);
                int first = n;
                runs.add(pool.submit(() -> firstFetching(first % 2 == 0 ? one : two, first % 2 == 0 ? two : one,
                        cluster, id, pages, names.size())));
            }
            for (Future<?> run : runs) {
                run.get(90, TimeUnit.SECONDS);
            }
            String current = one.getJson("/v1/clusters/" + cluster).get("currentFetchingId").asString();
            assertThat(names(one, cluster)).containsExactlyElementsOf(sentBy.get(current));
            assertThat(names(two, cluster)).containsExactlyElementsOf(sentBy.get(current));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A full fetching started through {@code via}, its pages sent alternately through {@code via}
     * and {@code other}, committed through {@code other}: every answer a success but the commit,
     * which may also be {@code 409 stale} (a fetching started later committed first).
     */
    private static Void firstFetching(TestReceiver via, TestReceiver other, String cluster, String id,
            List<List<Object>> pages, int objects) {
        expectSuccess(via.post(Paths.fetchings(cluster), Map.of("protocol", FetchingStart.PROTOCOL_1_1, "fetchingId", id,
                "clusterUniqueId", "uid-" + cluster, "collector", COLLECTOR)));
        for (int p = 0; p < pages.size(); p++) {
            expectSuccess((p % 2 == 0 ? via : other).post(Paths.records(cluster, id, RecordKind.OBJECTS),
                    Map.of("objects", pages.get(p))));
        }
        HttpResponse<String> commit = other.commit(cluster, id, Map.of("counts", Map.of("objects", objects)));
        if (commit.statusCode() != 409) {
            expectSuccess(commit);
        } else {
            assertThat(commit.body()).contains("stale");
        }
        return null;
    }

    /**
     * A fetching through {@code via}: full when {@code base} is null, else a delta on it; every
     * answer must be a success. Returns its id.
     */
    private static String fetching(TestReceiver via, String cluster, String base, List<Object> sent, List<Deletion> deleted) {
        String id = FetchingId.generate(Instant.now());
        Map<String, Object> start = new HashMap<>(Map.of("protocol", FetchingStart.PROTOCOL_1_1, "fetchingId", id,
                "clusterUniqueId", "uid-" + cluster, "collector", COLLECTOR));
        if (base != null) {
            start.put("base", base);
        }
        expectSuccess(via.post(Paths.fetchings(cluster), start));
        expectSuccess(via.post(Paths.records(cluster, id, RecordKind.OBJECTS), Map.of("objects", sent)));
        if (!deleted.isEmpty()) {
            expectSuccess(via.post(Paths.deletions(cluster, id), Map.of("deletions", deleted)));
        }
        expectSuccess(via.commit(cluster, id, Map.of("counts", Map.of("objects", sent.size(), "deletions", deleted.size()))));
        return id;
    }

    private static void expectSuccess(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.uri() + " " + answer.body()).isBetween(200, 204);
    }

    private static List<String> names(TestReceiver reader, String cluster) {
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = reader.getJson("/v1/clusters/" + cluster + "/objects?limit=50"
                    + (token == null ? "" : "&continue=" + token));
            page.get("items").forEach(o -> names.add(o.get("metadata").get("name").asString()));
            token = page.get("continue").isNull() ? null : page.get("continue").asString();
        } while (token != null);
        return names.stream().sorted().toList();
    }
}
