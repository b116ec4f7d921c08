package io.k8scollector.collector.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import io.k8scollector.protocol.Abort;
import io.k8scollector.testkit.ClusterSpec;
import io.k8scollector.testkit.TestCluster;
import io.k8scollector.testkit.ingest.IngestEndpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that fails after its fetching started tells the endpoint why before it exits 1. */
class FailedRunAbortTest {

    @TempDir
    Path dir;

    @Test
    void aRunWhoseCommitIsRefusedAbortsItsFetchingAndExitsOne() throws Exception {
        try (TestCluster cluster = TestCluster.start(ClusterSpec.builder().pods(5).seed(11).build());
                IngestEndpoint endpoint = new IngestEndpoint().forgetRecords()) {
            CommandLineRun run = CommandLineRun.collect(cluster, endpoint, dir, "failing");

            assertThat(run.exitCode()).as(run.errors()).isEqualTo(1);
            assertThat(run.errors()).contains("409 incomplete");
            assertThat(endpoint.commits()).isEmpty();
            assertThat(endpoint.aborts()).singleElement().satisfies(abort -> {
                assertThat(abort.path("reason").asString()).isEqualTo(Abort.ENDPOINT_ERROR);
                assertThat(abort.path("message").asString()).contains("409 incomplete")
                        .doesNotContain(IngestEndpoint.SECRET_KEY);
                assertThat(abort.path("finishedAt").isString()).isTrue();
            });
        }
    }
}
