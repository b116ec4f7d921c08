package io.k8scollector.collector.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k8scollector.collector.CollectorException;
import io.k8scollector.collector.ConnectedCluster;
import io.k8scollector.collector.check.ListPermissions.Answers;
import io.k8scollector.collector.config.KubeAccess;
import io.k8scollector.collector.discovery.ApiServer;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.retry.FakeTime;
import io.k8scollector.collector.retry.Retrier;
import io.k8scollector.collector.retry.RetryPolicy;
import io.k8scollector.testkit.ClusterSpec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The permission checks retry as listing and discovery do, on the retrier they are given: the waits
 * are taken on a fake clock, so that none is waited out.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class ListPermissionsTest {

    private static final ResourceType PODS = new ResourceType("", "v1", "Pod", "pods", true, List.of("list", "watch"));
    private static final ResourceType CONFIGMAPS =
            new ResourceType("", "v1", "ConfigMap", "configmaps", true, List.of("list", "watch"));
    private static final RetryPolicy THREE_ATTEMPTS = RetryPolicy.of(3, Duration.ofMinutes(10));

    @RegisterExtension
    static final ConnectedCluster connected = new ConnectedCluster(ClusterSpec.builder().pods(10).build());

    @TempDir
    Path dir;

    private final FakeTime time = new FakeTime();

    @Test
    void retriesAReviewThatTheServerCouldNotAnswerAndKeepsToReviews() {
        connected.cluster().faults().refuseAccessReviews(503);
        // The server recovers while the retrier waits.
        Retrier retrier = new Retrier(THREE_ATTEMPTS, time, wait -> {
            time.sleep(wait);
            connected.cluster().faults().clear();
        }, new SplittableRandom(7));
        long podLists = lists("/api/v1/pods");

        Answers answers = new ListPermissions(connected.server(), null, retrier).check(List.of(PODS, CONFIGMAPS));

        assertThat(time.waits()).hasSize(1);
        assertThat(answers.refusal()).isEmpty();
        assertThat(answers.byType().values()).allSatisfy(permission -> assertThat(permission.allowed()).isTrue());
        assertThat(lists("/api/v1/pods")).as("reviews list nothing").isEqualTo(podLists);
    }

    @Test
    void retriesAFallbackListThatFailedOnce() {
        connected.cluster().faults().refuseAccessReviews(404);
        connected.cluster().faults().failOnce("", "pods", 503);

        Answers answers = new ListPermissions(connected.server(), null, time.retrier(THREE_ATTEMPTS))
                .check(List.of(PODS, CONFIGMAPS));

        assertThat(answers.refusal()).hasValueSatisfying(refusal -> assertThat(refusal).contains("answered HTTP 404"));
        assertThat(time.waits()).as("the 404 is final, the 503 retried once").hasSize(1);
        assertThat(answers.byType().get(PODS).allowed()).isTrue();
        assertThat(answers.byType().get(CONFIGMAPS).allowed()).isTrue();
    }

    @Test
    void takesAStatusThatStaysAsTheAnswerOnceTheRetriesRunOut() {
        connected.cluster().faults().refuseAccessReviews(404);
        connected.cluster().faults().failAlways("", "pods", 503);

        Answers answers = new ListPermissions(connected.server(), "shop", time.retrier(THREE_ATTEMPTS))
                .check(List.of(PODS, CONFIGMAPS));

        assertThat(time.waits()).hasSize(2);
        assertThat(answers.byType().get(PODS).allowed()).isFalse();
        assertThat(answers.byType().get(PODS).reason())
                .isEqualTo("GET /api/v1/namespaces/shop/pods?limit=1 answered HTTP 503 after 3 attempts");
        assertThat(answers.byType().get(CONFIGMAPS).allowed()).isTrue();
    }

    @Test
    void endsTheCheckWhenTheApiServerStopsAnswering() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Path kubeconfig = connected.cluster().writeKubeconfig(dir.resolve("kubeconfig"));
        Files.writeString(kubeconfig, Files.readString(kubeconfig)
                .replace(connected.cluster().url().toString(), "https://127.0.0.1:" + closed));

        try (ApiServer gone = ApiServer.connect(new KubeAccess(kubeconfig, null))) {
            ListPermissions permissions = new ListPermissions(gone, null, time.retrier(THREE_ATTEMPTS));
            assertThatThrownBy(() -> permissions.check(List.of(PODS, CONFIGMAPS)))
                    .isInstanceOf(CollectorException.class)
                    .hasMessage("The API server stopped answering: POST https://127.0.0.1:" + closed
                            + ListPermissions.REVIEWS_PATH + " got connection error after 3 attempts.");
        }
        assertThat(time.waits()).hasSize(2);
    }

    private static long lists(String path) {
        return connected.cluster().requests().getOrDefault(path, 0L);
    }
}
