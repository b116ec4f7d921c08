package io.k8scollector.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The test cluster counts its lists apart from its watches, and goes down and comes back on demand. */
@Timeout(60)
class GoingDownTest {

    private static final String CONFIG_MAPS = "/api/v1/namespaces/shop/configmaps";

    @RegisterExtension
    static final RunningCluster running = new RunningCluster(ClusterSpec.builder().pods(10).seed(8).build());

    @Test
    void listRequestsCountEachPageOfAListAndNoWatch() throws Exception {
        long before = running.cluster().listRequests().getOrDefault(CONFIG_MAPS, 0L);
        String token = running.client().json(CONFIG_MAPS + "?limit=1").path("metadata").path("continue").asString();
        running.client().get(CONFIG_MAPS + "?limit=1&continue=" + token);
        String version = running.client().json(CONFIG_MAPS).path("metadata").path("resourceVersion").asString();
        try (WatchClient watch = running.client().watch(CONFIG_MAPS + "?watch=1&resourceVersion=" + version)) {
            running.cluster().store().put(KubeObjects.object("v1", "ConfigMap", "shop", "counted"));
            assertThat(watch.next().path("type").asString()).isEqualTo("ADDED");
        }

        assertThat(running.cluster().listRequests().get(CONFIG_MAPS)).isEqualTo(before + 3);
        assertThat(running.cluster().requests().get(CONFIG_MAPS)).isGreaterThan(running.cluster().listRequests().get(CONFIG_MAPS));
        assertThat(running.cluster().listRequestCount()).isGreaterThanOrEqualTo(before + 3);
    }

    @Test
    void aSuspendedClusterRefusesConnectionsCutsItsWatchesAndServesWhatChangedOnceResumed() throws Exception {
        String version = running.client().json(CONFIG_MAPS).path("metadata").path("resourceVersion").asString();
        try (WatchClient watch = running.client().watch(CONFIG_MAPS + "?watch=1&resourceVersion=" + version)) {
            running.cluster().suspend();
            try {
                assertThat(watch.end()).as("the open watch is cut off").isNotNull();
                assertThatThrownBy(() -> running.client().get(CONFIG_MAPS))
                        .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(ConnectException.class);
                running.cluster().store().put(KubeObjects.object("v1", "ConfigMap", "shop", "while-down"));
            } finally {
                running.cluster().resume();
            }
        }
        assertThat(running.client().json(CONFIG_MAPS + "/while-down").path("metadata").path("name").asString())
                .isEqualTo("while-down");
    }
}
