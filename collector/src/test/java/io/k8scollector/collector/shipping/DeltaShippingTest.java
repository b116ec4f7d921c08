package io.k8scollector.collector.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.k8scollector.collector.config.EnvironmentProxySelector;
import io.k8scollector.collector.config.ShippingSettings;
import io.k8scollector.collector.retry.FakeTime;
import io.k8scollector.collector.retry.RetryPolicy;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.CompleteType;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import io.k8scollector.protocol.StartAnswer;
import io.k8scollector.testkit.ingest.IngestEndpoint;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP sink's protocol 1.1: deltas on a base, deletions, completeTypes, base_mismatch, a 1.0 server. */
@Timeout(60)
class DeltaShippingTest {

    private static final String CLUSTER = "delta-eu";
    private static final String CLUSTER_UID = "uid-kube-system";
    private static final Commit.Report REPORT = new Commit.Report("0badc0de");

    private IngestEndpoint endpoint;
    private HttpSink sink;

    @BeforeEach
    void start() throws IOException {
        endpoint = new IngestEndpoint();
        ShippingSettings settings = settings(2, 3);
        sink = new HttpSink(settings, Compressor.gzip(1), new FakeTime().retrier(settings.retry()));
    }

    @AfterEach
    void stop() {
        sink.close();
        endpoint.close();
    }

    @Test
    void aDeltaReplacesDeletesAndCompletesOnItsBase() {
        String full = open(null);
        assertThat(sink.startAnswer()).contains(StartAnswer.full());
        IntStream.range(0, 30).forEach(i -> sink.accept(pod("web-" + i)));
        sink.accept(TestRecords.object("cfg", "v1", "ConfigMap", "shop", 200));
        sink.commit(List.of(), Instant.now(), REPORT);
        assertThat(endpoint.current(CLUSTER).keys(RecordKind.OBJECTS)).hasSize(31);

        String delta = open(full);
        assertThat(sink.startAnswer()).contains(StartAnswer.delta(full));
        sink.accept(pod("web-30"));
        sink.delete(Deletion.object("uid-web-0", "v1", "Pod", "shop", "web-0"));
        sink.delete(Deletion.object("uid-web-1", "v1", "Pod", "shop", "web-1"));
        Counts counts = sink.commitDelta(null, List.of(), List.of(), Instant.now(), REPORT);

        assertThat(counts).isEqualTo(new Counts(1, 0, 0, 0, 2));
        assertThat(endpoint.current(CLUSTER).fetchingId()).isEqualTo(delta);
        assertThat(endpoint.current(CLUSTER).keys(RecordKind.OBJECTS)).hasSize(30)
                .contains("u:uid-web-30", "u:uid-cfg").doesNotContain("u:uid-web-0", "u:uid-web-1");

        open(delta);
        sink.accept(pod("web-5"));
        sink.commitDelta(null, List.of(), List.of(CompleteType.objects("", "pods", "Pod")), Instant.now(), REPORT);
        assertThat(endpoint.current(CLUSTER).keys(RecordKind.OBJECTS)).containsExactlyInAnyOrder("u:uid-web-5", "u:uid-cfg");
    }

    @Test
    void anEmptyDeltaIsAHeartbeat() {
        String full = open(null);
        sink.accept(pod("web-0"));
        sink.commit(List.of(), Instant.now(), REPORT);
        open(full);
        assertThat(sink.commitDelta(null, List.of(), List.of(), Instant.now(), REPORT).isEmpty()).isTrue();
        assertThat(endpoint.heartbeats()).isEqualTo(1);
        assertThat(endpoint.current(CLUSTER).keys(RecordKind.OBJECTS)).containsExactly("u:uid-web-0");
    }

    @Test
    void aBaseThatIsNotCurrentIsATypedMismatchNamingTheCurrentOne() {
        String full = open(null);
        sink.commit(List.of(), Instant.now(), REPORT);
        BaseMismatch mismatch = catchThrowableOfType(BaseMismatch.class, () -> open(FetchingId.generate(Instant.now())));
        assertThat(mismatch.current()).isEqualTo(full);

        String first = open(full);
        sink.accept(pod("a"));
        String raced = FetchingId.generate(Instant.now());
        // The delta stays open while a second one on the same base commits first.
        try (HttpSink other = otherSink()) {
            other.open(CLUSTER, start(raced, full));
            other.commitDelta(null, List.of(), List.of(), Instant.now(), REPORT);
        }
        BaseMismatch atCommit = catchThrowableOfType(BaseMismatch.class,
                () -> sink.commitDelta(null, List.of(), List.of(), Instant.now(), REPORT));
        assertThat(atCommit.current()).isEqualTo(raced);
        assertThat(endpoint.current(CLUSTER).fetchingId()).isNotEqualTo(first);
    }

    @Test
    void aServerOfProtocol10AnswersNoStartAnswerAndTakesFullFetchingsOnly() {
        endpoint.protocol10(true);
        open(null);
        assertThat(sink.startAnswer()).isEmpty();
        sink.accept(pod("web-0"));
        sink.commit(List.of(), Instant.now(), REPORT);
        assertThat(endpoint.current(CLUSTER).keys(RecordKind.OBJECTS)).containsExactly("u:uid-web-0");
        assertThat(endpoint.requests(io.k8scollector.protocol.Paths.DELETIONS)).isZero();
    }

    @Test
    void aDeclinedDeltaIsAFullFetching() {
        String full = open(null);
        sink.commit(List.of(), Instant.now(), REPORT);
        endpoint.declineDeltas(true);
        open(full);
        assertThat(sink.startAnswer()).map(StartAnswer::isDelta).contains(false);
    }

    @Test
    void aRecordRefusedAloneInADeltaIsSkippedBesideWhatTheBaseSkipped() {
        Skipped forbidden = Skipped.type("", "v1", "secrets", Skipped.Reason.FORBIDDEN, "secrets is forbidden");
        String full = open(null);
        sink.accept(pod("web-0"));
        sink.commit(List.of(forbidden), Instant.now(), REPORT);

        endpoint.bodyLimit(4 * 1024);
        open(full);
        sink.accept(pod("web-1"));
        sink.accept(TestRecords.object("huge", "v1", "ConfigMap", "shop", 8 * 1024));
        sink.commitDelta(null, List.of(forbidden), List.of(), Instant.now(), REPORT);

        assertThat(endpoint.current(CLUSTER).skipped()).extracting(entry -> entry.path("kind").asString() + " "
                + entry.path("resource").asString() + " " + entry.path("name").asString() + " "
                + entry.path("reason").asString())
                .containsExactlyInAnyOrder("type secrets  forbidden", "object configmaps huge rejected");
        assertThat(sink.refusedAlone()).extracting(Skipped::name).containsExactly("huge");
        assertThat(endpoint.current(CLUSTER).keys(RecordKind.OBJECTS)).containsExactlyInAnyOrder("u:uid-web-0",
                "u:uid-web-1");
    }

    private HttpSink otherSink() {
        return new HttpSink(settings(1, 1));
    }

    private ShippingSettings settings(int concurrency, int attempts) {
        return new ShippingSettings(endpoint.uri(), endpoint.uri(),
                new ShippingSettings.Credentials(IngestEndpoint.ACCESS_KEY, IngestEndpoint.SECRET_KEY), false, 4,
                concurrency, 1, new RetryPolicy(attempts, Duration.ofSeconds(5), Duration.ofMillis(5), Duration.ofMillis(40)),
                Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(5), EnvironmentProxySelector.from(Map.of()));
    }

    private String open(String base) {
        String fetchingId = FetchingId.generate(Instant.now());
        sink.open(CLUSTER, start(fetchingId, base));
        return fetchingId;
    }

    private static FetchingStart start(String fetchingId, String base) {
        return new FetchingStart(FetchingStart.PROTOCOL_1_1, fetchingId, base, CLUSTER_UID, false,
                new FetchingStart.Collector("1.1.0", FetchingStart.Collector.CONTINUOUS, 60), Instant.now());
    }

    private static ShippedRecord pod(String name) {
        return TestRecords.object(name, "v1", "Pod", "shop", 300);
    }
}
