package io.k8scollector.receiver.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.Json;
import io.k8scollector.receiver.TestDatabases;
import io.k8scollector.receiver.TestReceiver;
import io.k8scollector.receiver.server.ReceiverSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /v1/images} keeps what it derived from a cluster's Pods across a commit that leaves
 * every Pod's images as they were (a status update): it reads the bodies of the Pods that
 * changed, not of all of them; a change of a container's image or of the image a container
 * runs (its status's imageID) derives the images again.
 */
class ImagesCacheTest {

    private static final int PODS = 20;
    private static final String CLUSTER = "images";

    private final List<String> rows = Collections.synchronizedList(new ArrayList<>());
    private long sent;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aStatusUpdateReadsTheChangedPodsOnlyAndAnImageChangeDerivesAgain(String database, @TempDir Path dir) {
        String url = database.equals("sqlite") ? TestDatabases.sqlite(dir) : TestDatabases.freshPostgresSchema();
        try (TestReceiver receiver = new TestReceiver(Database.open(url, sql -> { }, rows::add),
                ReceiverSettings.onPort(0).withHost("127.0.0.1").withRetention(new Retention(10, Duration.ZERO)),
                Clock.systemUTC())) {
            snapshot(receiver, pod -> pod);
            JsonNode first = images(receiver);
            assertThat(bodiesRead()).isEqualTo(PODS);
            assertThat(first.get(0).get("image").asString()).isEqualTo("nginx:1.27.3");
            assertThat(first.get(0).get("pods").asLong()).isEqualTo(PODS);

            snapshot(receiver, pod -> name(pod).equals("pod-3") ? phase(pod, "Succeeded") : pod);
            assertThat(images(receiver)).isEqualTo(first);
            assertThat(bodiesRead()).as("pod-3 then and now").isEqualTo(2);
            assertThat(images(receiver)).isEqualTo(first);
            assertThat(bodiesRead()).as("nothing changed since").isZero();

            snapshot(receiver, pod -> name(pod).equals("pod-4") ? imageId(pod, "sha256:" + "b".repeat(64)) : pod);
            JsonNode restarted = images(receiver);
            assertThat(restarted.get(0).get("runningDigests").valueStream().map(JsonNode::asString))
                    .containsExactly("sha256:" + "a".repeat(64), "sha256:" + "b".repeat(64));
            assertThat(bodiesRead()).as("pod-3 (running again) and pod-4 then and now, then every Pod")
                    .isEqualTo(2 + 2 + PODS);

            snapshot(receiver, pod -> name(pod).equals("pod-5") ? image(pod, "nginx:1.28.0") : pod);
            assertThat(images(receiver).valueStream().map(i -> i.get("image").asString() + " " + i.get("pods").asLong()))
                    .containsExactly("nginx:1.27.3 19", "nginx:1.28.0 1");
        } finally {
            if (database.equals("postgresql")) {
                TestDatabases.dropPostgresSchema(url);
            }
        }
    }

    /** Commits a full fetching of the Pods, each as {@code change} makes it. */
    private void snapshot(TestReceiver receiver, UnaryOperator<ObjectNode> change) {
        sent++;
        List<ObjectNode> pods = IntStream.range(0, PODS).mapToObj(i -> {
            ObjectNode pod = pod("pod-" + i);
            ObjectNode changed = change.apply(pod.deepCopy());
            if (!changed.equals(pod)) {
                ((ObjectNode) changed.get("metadata")).put("resourceVersion", Long.toString(sent));
            }
            return changed;
        }).toList();
        receiver.snapshot(CLUSTER, FetchingId.generate(Instant.now().plusSeconds(sent)), pods, List.of());
    }

    private JsonNode images(TestReceiver receiver) {
        rows.clear();
        return receiver.getJson("/v1/images").get("items");
    }

    /** Rows of the statements that read bodies, since the last {@link #images}. */
    private long bodiesRead() {
        return rows.stream().filter(sql -> sql.contains("JOIN bodies")).count();
    }

    /** A running Pod of one container, nginx:1.27.3, whose runtime resolved it to digest a. */
    private ObjectNode pod(String name) {
        ObjectNode pod = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("uid", "uid-" + name).put("namespace", "shop").put("name", name)
                .put("resourceVersion", "1");
        pod.putObject("spec").putArray("containers").addObject().put("name", "web").put("image", "nginx:1.27.3");
        pod.putObject("status").put("phase", "Running").putArray("containerStatuses").addObject().put("name", "web")
                .put("image", "nginx:1.27.3").put("imageID", "docker.io/library/nginx@sha256:" + "a".repeat(64));
        return pod;
    }

    private static String name(ObjectNode pod) {
        return pod.get("metadata").get("name").asString();
    }

    private static ObjectNode phase(ObjectNode pod, String phase) {
        ((ObjectNode) pod.get("status")).put("phase", phase);
        return pod;
    }

    private static ObjectNode imageId(ObjectNode pod, String digest) {
        ((ObjectNode) pod.get("status").get("containerStatuses").get(0)).put("imageID", "docker.io/library/nginx@" + digest);
        return pod;
    }

    private static ObjectNode image(ObjectNode pod, String image) {
        ((ObjectNode) pod.get("spec").get("containers").get(0)).put("image", image);
        ((ObjectNode) pod.get("status").get("containerStatuses").get(0)).put("image", image);
        return pod;
    }
}
