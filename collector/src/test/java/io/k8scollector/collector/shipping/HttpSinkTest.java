package io.k8scollector.collector.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.k8scollector.collector.CollectorException;
import io.k8scollector.collector.config.ConfigSource;
import io.k8scollector.collector.config.EnvironmentProxySelector;
import io.k8scollector.collector.config.ShippingSettings;
import io.k8scollector.collector.retry.FakeTime;
import io.k8scollector.collector.retry.RetryPolicy;
import io.k8scollector.protocol.Abort;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import io.k8scollector.testkit.ingest.IngestEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;

/** Drives the HTTP sink against {@link IngestEndpoint}, one scenario of the protocol per test. */
@Timeout(120)
class HttpSinkTest {

    private static final Commit.Report REPORT = new Commit.Report("0badc0de");

    private static final String CLUSTER = "prod-eu";
    private static final String CLUSTER_UID = "0d3c1a7e-kube-system";
    private static final int PAGE_KIB = 8;

    private IngestEndpoint endpoint;
    private final List<HttpSink> sinks = new ArrayList<>();
    /** The retriers' time: waits pass at once and are remembered. */
    private final FakeTime time = new FakeTime();

    @BeforeEach
    void startEndpoint() throws IOException {
        endpoint = new IngestEndpoint();
    }

    @AfterEach
    void stop() {
        sinks.forEach(HttpSink::close);
        endpoint.close();
    }

    /** What the sink must do with a status of the protocol's table, met on the first page. */
    enum Answer {
        S400(400, Outcome.STOPS),
        S401(401, Outcome.LOGS_IN_AGAIN),
        S403(403, Outcome.STOPS),
        S404(404, Outcome.STOPS),
        S409(409, Outcome.STOPS),
        S413(413, Outcome.SPLITS),
        S415(415, Outcome.GOES_PLAIN),
        S429(429, Outcome.RETRIES),
        S500(500, Outcome.RETRIES),
        S501(501, Outcome.RETRIES),
        S502(502, Outcome.RETRIES),
        S503(503, Outcome.RETRIES),
        S504(504, Outcome.RETRIES),
        CONNECTION_RESET(0, Outcome.RETRIES);

        final int status;
        final Outcome outcome;

        Answer(int status, Outcome outcome) {
            this.status = status;
            this.outcome = outcome;
        }
    }

    enum Outcome { STOPS, LOGS_IN_AGAIN, SPLITS, GOES_PLAIN, RETRIES }

    @ParameterizedTest
    @EnumSource(Answer.class)
    void answersToAPageFollowTheProtocolTable(Answer answer) {
        endpoint.fault("/objects", answer.status, Map.of());
        HttpSink sink = sink(settings(1));
        String fetching = open(sink);
        List<ShippedRecord> objects = objects(40, 600);

        if (answer.outcome == Outcome.STOPS) {
            ShippingException failure = catchThrowableOfType(ShippingException.class, () -> {
                objects.forEach(sink::accept);
                sink.commit(List.of(), Instant.now(), REPORT);
            });
            assertThat(failure.status()).isEqualTo(answer.status);
            assertThat(failure.method()).isEqualTo("POST");
            assertThat(failure.path()).endsWith("/fetchings/" + fetching + "/objects");
            assertThat(failure.getMessage()).contains("POST " + endpoint.uri() + failure.path() + " answered " + answer.status);
            assertThat(endpoint.commits()).isEmpty();
            return;
        }

        objects.forEach(sink::accept);
        Counts counts = sink.commit(List.of(), Instant.now(), REPORT);

        assertThat(counts.objects()).isEqualTo(40);
        assertThat(endpoint.stored(fetching, RecordKind.OBJECTS)).hasSize(40);
        assertThat(endpoint.commits()).hasSize(1);
        Map<String, Long> retries = sink.stats().retriesByCause();
        switch (answer.outcome) {
            case LOGS_IN_AGAIN -> {
                assertThat(endpoint.requests("login")).isEqualTo(2);
                assertThat(retries).containsEntry("401-relogin", 1L);
            }
            case SPLITS -> assertThat(retries).containsEntry("413-split", 1L);
            case GOES_PLAIN -> {
                assertThat(retries).containsEntry("415-plain", 1L);
                assertThat(endpoint.pages()).allSatisfy(page -> assertThat(page.encoding()).isNull());
            }
            default -> {
                assertThat(retries).containsEntry(answer.status == 0 ? "io" : String.valueOf(answer.status), 1L);
                assertThat(endpoint.requests("objects")).isEqualTo(endpoint.pages().size() + 1);
            }
        }
    }

    @Test
    void shipsEveryKindInPagesWithinPageSizeAndCommitsTheirCounts() {
        HttpSink sink = sink(settings(3));
        String fetching = open(sink);
        objects(300, 900).forEach(sink::accept);
        for (int i = 0; i < 4; i++) {
            sink.accept(json(RecordKind.HELM_RELEASES, "{\"name\":\"shop-%d\",\"namespace\":\"prod\",\"source\":\"helm\",\"revision\":1}", i));
            sink.accept(json(RecordKind.TREES, "{\"uid\":\"root-%d\",\"kind\":\"Deployment\",\"name\":\"web\",\"children\":[]}", i));
        }
        for (int i = 0; i < 30; i++) {
            sink.accept(json(RecordKind.TYPES, "{\"group\":\"g%d.example.com\",\"version\":\"v1\",\"resource\":\"things\"}", i));
        }

        Counts counts = sink.commit(List.of(), Instant.parse("2026-11-27T15:00:00Z"), REPORT);

        assertThat(counts).isEqualTo(new Counts(300, 4, 30, 4));
        assertThat(endpoint.stored(fetching, RecordKind.OBJECTS)).hasSize(300);
        assertThat(endpoint.stored(fetching, RecordKind.TYPES)).hasSize(30);
        assertThat(endpoint.pages()).allSatisfy(page -> {
            assertThat(page.encoding()).isEqualTo("gzip");
            assertThat(page.plainSize()).isLessThanOrEqualTo(PAGE_KIB * 1024);
            assertThat(page.userAgent()).isEqualTo("k8s-collector/1.2.3");
        });
        assertThat(endpoint.pages().stream().filter(p -> p.kind().equals("objects")).count()).isGreaterThan(30);
        JsonNode commit = endpoint.commits().get(0);
        assertThat(commit.path("finishedAt").asString()).isEqualTo("2026-11-27T15:00:00Z");
        assertThat(commit.path("counts").path("objects").asLong()).isEqualTo(300);
        ShippingStats stats = sink.stats();
        assertThat(stats.pages()).isEqualTo(endpoint.pages().size());
        assertThat(stats.bytesBeforeCompression()).isEqualTo(endpoint.pages().stream().mapToLong(IngestEndpoint.Page::plainSize).sum());
        assertThat(stats.bytesAfterCompression()).isLessThan(stats.bytesBeforeCompression());
    }

    @Test
    void aSnapshotThroughA503A413AndAnExpiredTokenCommitsEveryObjectExactlyOnce() {
        endpoint.fault("/objects", 503, Map.of("Retry-After", "1"))
                .bodyLimit(3 * 1024)
                .expireTokensAfterPages(5);
        HttpSink sink = sink(settings(4));
        String fetching = open(sink);
        List<ShippedRecord> objects = objects(200, 700);

        objects.forEach(sink::accept);
        Counts counts = sink.commit(List.of(), Instant.now(), REPORT);

        List<String> received = endpoint.pages().stream().flatMap(page -> page.keys().stream()).toList();
        assertThat(received).hasSize(200).doesNotHaveDuplicates();
        assertThat(counts.objects()).isEqualTo(200);
        assertThat(endpoint.pages()).allSatisfy(page -> {
            assertThat(page.encoding()).isEqualTo("gzip");
            assertThat(page.plainSize()).isLessThanOrEqualTo(3 * 1024);
        });
        assertThat(endpoint.requests("login")).isEqualTo(2);
        assertThat(sink.stats().retriesByCause()).containsKeys("503", "413-split", "401-relogin");
        assertThat(time.waits()).as("the 503's Retry-After is waited out").contains(Duration.ofSeconds(1));
        assertThat(endpoint.commits()).hasSize(1);
    }

    @Test
    void aPageSplitAfterItWasSentCarriesEveryRecordByteForByte() {
        endpoint.bodyLimit(5 * 1024);
        HttpSink sink = sink(settings(2));
        String fetching = open(sink);
        List<ShippedRecord> objects = IntStream.range(0, 30)
                .mapToObj(i -> TestRecords.object("pod-" + i, "v1", "Pod", "shop", 300 + 37 * i)).toList();

        objects.forEach(sink::accept);
        sink.commit(List.of(), Instant.now(), REPORT);

        String received = endpoint.bodies().stream().map(body -> new String(body, StandardCharsets.UTF_8))
                .filter(body -> body.startsWith("{\"objects\":[")).collect(Collectors.joining("\n"));
        assertThat(sink.stats().retriesByCause()).containsKey("413-split");
        assertThat(endpoint.stored(fetching, RecordKind.OBJECTS)).hasSize(30);
        assertThat(objects).allSatisfy(record -> assertThat(received).contains(new String(record.json(), StandardCharsets.UTF_8)));
    }

    @Test
    void countsDistinctRecordsAsTheEndpointKeysThemEvenWhenOneIsHandedOverTwice() {
        HttpSink sink = sink(settings(2));
        String fetching = open(sink);
        List<ShippedRecord> objects = objects(50, 400);
        objects.forEach(sink::accept);
        sink.accept(objects.get(7));
        sink.accept(json(RecordKind.TYPES, "{\"group\":\"apps\",\"version\":\"v1\",\"resource\":\"deployments\"}"));
        sink.accept(json(RecordKind.TYPES, "{\"group\":\"apps\",\"version\":\"v1beta1\",\"resource\":\"deployments\"}"));

        Counts counts = sink.commit(List.of(), Instant.now(), REPORT);

        assertThat(counts).isEqualTo(new Counts(50, 0, 1, 0));
        assertThat(endpoint.stored(fetching, RecordKind.OBJECTS)).hasSize(50);
        assertThat(endpoint.commits()).hasSize(1);
    }

    @Test
    void aRecordRefusedAloneIsSkippedNamedByItsTypeAndNotCounted() {
        endpoint.bodyLimit(2 * 1024);
        HttpSink sink = sink(settings(1));
        String fetching = open(sink);
        objects(10, 300).forEach(sink::accept);
        sink.accept(TestRecords.object("big", "apps/v1", "Deployment", "shop", 4000));
        sink.accept(json(RecordKind.HELM_RELEASES, "{\"name\":\"huge\",\"namespace\":\"prod\",\"pad\":\"%s\"}", "x".repeat(3000)));
        sink.accept(json(RecordKind.TYPES, "{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\",\"resource\":\"deployments\"}"));
        Skipped forbidden = Skipped.type("", "v1", "secrets", Skipped.Reason.FORBIDDEN, "403 from the API server");

        Counts counts = sink.commit(List.of(forbidden), Instant.now(), REPORT);

        assertThat(counts).isEqualTo(new Counts(10, 0, 1, 0));
        JsonNode skipped = endpoint.commits().get(0).path("skipped");
        assertThat(skipped).hasSize(3);
        assertThat(skipped.get(0).path("resource").asString()).isEqualTo("secrets");
        List<JsonNode> rejected = List.of(skipped.get(1), skipped.get(2));
        assertThat(rejected).anySatisfy(entry -> {
            assertThat(entry.path("kind").asString()).isEqualTo("object");
            assertThat(entry.path("group").asString()).isEqualTo("apps");
            assertThat(entry.path("version").asString()).isEqualTo("v1");
            assertThat(entry.path("resource").asString()).isEqualTo("deployments");
            assertThat(entry.path("namespace").asString()).isEqualTo("shop");
            assertThat(entry.path("name").asString()).isEqualTo("big");
            assertThat(entry.path("reason").asString()).isEqualTo("rejected");
        });
        assertThat(rejected).anySatisfy(entry -> {
            assertThat(entry.path("kind").asString()).isEqualTo("record");
            assertThat(entry.path("recordKind").asString()).isEqualTo("helmRelease");
            assertThat(entry.path("name").asString()).isEqualTo("prod/huge");
        });
    }

    @Test
    void anEndpointThatGoesDownEndsTheRunWithinTheDeadlineAndNeverCommits() {
        HttpSink sink = sink(settings(2));
        open(sink);
        endpoint.close();

        ShippingException failure = catchThrowableOfType(ShippingException.class, () -> {
            objects(50, 600).forEach(sink::accept);
            sink.commit(List.of(), Instant.now(), REPORT);
        });

        assertThat(failure.status()).isZero();
        assertThat(failure.getMessage()).contains("connection error").contains("unreachable");
        assertThat(endpoint.commits()).isEmpty();
    }

    @Test
    void aRetryAfterPastTheDeadlineGivesUpAtOnceInsteadOfSleeping() {
        endpoint.fault("/fetchings", 503, Map.of("Retry-After", "3600"));
        HttpSink sink = sink(settings(1));

        assertThatThrownBy(() -> open(sink))
                .isInstanceOfSatisfying(ShippingException.class, e -> assertThat(e.status()).isEqualTo(503))
                .hasMessageContaining("failed 1 time(s)");
        assertThat(endpoint.requests("start")).isEqualTo(1);
        assertThat(time.waits()).isEmpty();
    }

    @Test
    void anEndpointThatIsNotThereFailsTheLogin() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ShippingSettings down = withEndpoint(settings(1), URI.create("http://127.0.0.1:" + closedPort));
        HttpSink sink = sink(down);

        assertThatThrownBy(() -> open(sink))
                .isInstanceOf(ShippingException.class)
                .hasMessageContaining("POST http://127.0.0.1:" + closedPort + "/account/access_keys/login failed 3 time(s)");
    }

    @Test
    void aClusterConflictStopsAndNamesTheOverrideKey() {
        endpoint.bind(CLUSTER, "another-kube-system-uid");
        HttpSink sink = sink(settings(1));

        assertThatThrownBy(() -> open(sink))
                .isInstanceOfSatisfying(ShippingException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessageContaining("cluster_conflict")
                .hasMessageContaining("collector.overrideUniqueClusterId=true");
    }

    @Test
    void theOverrideMovesTheClusterId() {
        endpoint.bind(CLUSTER, "another-kube-system-uid");
        HttpSink sink = sink(settings(1));
        String fetchingId = FetchingId.generate(Instant.now());

        sink.open(CLUSTER, new FetchingStart(fetchingId, CLUSTER_UID, true, new FetchingStart.Collector("1.2.3"), Instant.now()));

        assertThat(sink.commit(List.of(), Instant.now(), REPORT)).isEqualTo(Counts.ZERO);
    }

    @Test
    void anErrorInASenderFailsTheRunInsteadOfCommittingWithoutItsPage() {
        Compressor failsInSenders = new Compressor() {
            @Override
            public Optional<String> encoding() {
                return Optional.of("gzip");
            }

            @Override
            public OutputStream wrap(OutputStream out) throws IOException {
                if (Thread.currentThread().getName().startsWith("shipping-")) {
                    throw new OutOfMemoryError("planted: no room for this page");
                }
                return Compressor.gzip(1).wrap(out);
            }

            @Override
            public InputStream unwrap(InputStream in) throws IOException {
                return Compressor.gzip(1).unwrap(in);
            }
        };
        HttpSink sink = sink(settings(2), failsInSenders);
        open(sink);

        assertThatThrownBy(() -> {
            objects(40, 600).forEach(sink::accept);
            sink.commit(List.of(), Instant.now(), REPORT);
        })
                .isInstanceOf(CollectorException.class)
                .hasMessageContaining("OutOfMemoryError")
                .hasMessageContaining("planted: no room for this page");
        assertThat(endpoint.commits()).isEmpty();
    }

    @Test
    void theCommitCarriesTheReportWithTheRedactionKeyId() {
        HttpSink sink = sink(settings(1));
        open(sink);
        objects(3, 200).forEach(sink::accept);

        sink.commit(List.of(), Instant.now(), REPORT);

        assertThat(endpoint.commits()).singleElement()
                .satisfies(commit -> assertThat(commit.at("/report/redactionKeyId").asString()).isEqualTo("0badc0de"));
    }

    @Test
    void anIncompleteCommitExplainsItself() {
        endpoint.forgetRecords();
        HttpSink sink = sink(settings(1));
        open(sink);
        objects(5, 200).forEach(sink::accept);

        assertThatThrownBy(() -> sink.commit(List.of(), Instant.now(), REPORT))
                .isInstanceOfSatisfying(ShippingException.class, e -> assertThat(e.path()).endsWith("/commit"))
                .hasMessageContaining("answered 409 incomplete (objects: 5 missing;)")
                .hasMessageContaining("the snapshot stays uncommitted");
    }

    @Test
    void aCommitRefusedAsTooLargeStopsTheRunInsteadOfPassingForCommitted() {
        endpoint.fault("/commit", 413, Map.of());
        HttpSink sink = sink(settings(1));
        open(sink);

        assertThatThrownBy(() -> sink.commit(List.of(), Instant.now(), REPORT))
                .isInstanceOfSatisfying(ShippingException.class, e -> assertThat(e.status()).isEqualTo(413))
                .hasMessageContaining("lower collector.PageSize");
        assertThat(endpoint.commits()).isEmpty();
    }

    @Test
    void aFreshTokenThatIsRefusedTooFailsTheRun() {
        endpoint.refuseTokens();
        HttpSink sink = sink(settings(1));

        assertThatThrownBy(() -> open(sink))
                .isInstanceOfSatisfying(ShippingException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("refused a fresh token too");
        assertThat(endpoint.requests("login")).isEqualTo(2);
    }

    @Test
    void wrongKeysFailAtLoginNamingTheVariables() {
        ShippingSettings base = settings(1);
        ShippingSettings wrong = new ShippingSettings(base.endpoint(), base.loginEndpoint(),
                new ShippingSettings.Credentials(IngestEndpoint.ACCESS_KEY, "not-the-secret"), false, base.pageSizeKib(),
                base.concurrency(), base.gzipLevel(), base.retry(), base.caFile(), base.connectTimeout(),
                base.requestTimeout(), base.proxies());

        assertThatThrownBy(() -> open(sink(wrong)))
                .hasMessageContaining("answered 401")
                .hasMessageContaining("INFRALIGHT_ACCESS_KEY and INFRALIGHT_SECRET_KEY")
                .hasMessageNotContaining("not-the-secret");
    }

    @Test
    void whenCompressionFailsPagesGoAsPlainJsonWithoutTheHeader() {
        Compressor broken = new Compressor() {
            @Override
            public Optional<String> encoding() {
                return Optional.of("gzip");
            }

            @Override
            public OutputStream wrap(OutputStream out) throws IOException {
                throw new IOException("deflater unavailable");
            }

            @Override
            public InputStream unwrap(InputStream in) throws IOException {
                throw new IOException("nothing was compressed");
            }
        };
        HttpSink sink = sink(settings(1), broken);

        List<ILoggingEvent> logged = logged(() -> {
            String fetching = open(sink);
            objects(20, 500).forEach(sink::accept);
            sink.commit(List.of(), Instant.now(), REPORT);
            assertThat(endpoint.stored(fetching, RecordKind.OBJECTS)).hasSize(20);
        });

        assertThat(logged).filteredOn(event -> event.getLevel() == Level.WARN)
                .singleElement().satisfies(event -> assertThat(event.getFormattedMessage())
                        .contains("Compressing a request body failed").contains("deflater unavailable")
                        .contains("plain JSON"));

        assertThat(endpoint.pages()).isNotEmpty().allSatisfy(page -> assertThat(page.encoding()).isNull());
        assertThat(sink.stats().bytesAfterCompression()).isEqualTo(sink.stats().bytesBeforeCompression());
    }

    @Test
    void neverHasMoreThanMaxGoRoutinesPagesInFlight() {
        HttpSink sink = sink(settings(2));
        open(sink);
        objects(400, 900).forEach(sink::accept);
        sink.commit(List.of(), Instant.now(), REPORT);

        assertThat(endpoint.pages()).hasSizeGreaterThan(40);
        assertThat(endpoint.maxInFlight()).isBetween(1, 2);
    }

    @Test
    void acceptBlocksWhileEverySenderIsBusy() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        endpoint.holdPagesUntil(release);
        HttpSink sink = sink(settings(1));
        String fetching = open(sink);
        List<ShippedRecord> objects = objects(100, 900);
        AtomicInteger accepted = new AtomicInteger();
        Thread producer = new Thread(() -> objects.forEach(o -> {
            sink.accept(o);
            accepted.incrementAndGet();
        }), "producer");
        producer.start();

        assertThat(endpoint.awaitHeldPage(Duration.ofSeconds(20))).as("the first page reached the endpoint").isTrue();
        // Handing over 100 records takes well under this when nothing blocks.
        producer.join(500);

        assertThat(producer.isAlive()).as("accept() returned while the only sender was busy").isTrue();
        assertThat(accepted.get()).isLessThan(objects.size());
        assertThat(endpoint.requests("objects")).isEqualTo(1);
        release.countDown();
        producer.join(20_000);
        assertThat(producer.isAlive()).isFalse();
        assertThat(accepted.get()).isEqualTo(objects.size());
        assertThat(sink.commit(List.of(), Instant.now(), REPORT).objects()).isEqualTo(100);
        assertThat(endpoint.stored(fetching, RecordKind.OBJECTS)).hasSize(100);
    }

    @Test
    void nothingLoggedCarriesAKeyOrAToken() {
        endpoint.expireTokensAfterPages(1).fault("/objects", 503, Map.of()).fault("/objects", 0, Map.of())
                .fault("/commit", 403, Map.of());
        HttpSink sink = sink(settings(2));
        List<Throwable> failure = new ArrayList<>();

        List<String> lines = logged(() -> {
            open(sink);
            objects(60, 600).forEach(sink::accept);
            failure.add(catchThrowableOfType(ShippingException.class, () -> sink.commit(List.of(), Instant.now(), REPORT)));
        }).stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());

        lines.add(failure.get(0).getMessage());
        assertThat(lines).hasSizeGreaterThan(3).noneSatisfy(line -> assertThat(line)
                .containsAnyOf(IngestEndpoint.SECRET_KEY, IngestEndpoint.ACCESS_KEY, "tok-", "uid-0", "padding"));
    }

    @Test
    void aRunThatFailsAfterItsStartTellsTheEndpointOnceWhyOnOneLine() {
        endpoint.forgetRecords();
        HttpSink sink = sink(settings(1));
        String fetchingId = open(sink);
        objects(5, 200).forEach(sink::accept);
        ShippingException failure = catchThrowableOfType(ShippingException.class,
                () -> sink.commit(List.of(), Instant.now(), REPORT));
        Instant finishedAt = Instant.now();

        sink.abort(failure, finishedAt);

        assertThat(endpoint.requests("abort")).isEqualTo(1);
        assertThat(endpoint.aborts()).singleElement().satisfies(abort -> {
            assertThat(abort.path("reason").asString()).isEqualTo(Abort.ENDPOINT_ERROR);
            assertThat(abort.path("message").asString()).contains("409").contains(fetchingId).doesNotContain("\n")
                    .doesNotContain(IngestEndpoint.SECRET_KEY).doesNotContain("tok-");
            assertThat(Instant.parse(abort.path("finishedAt").asString())).isEqualTo(finishedAt);
        });
    }

    @Test
    void aRefusedKeyAbortsAsCredentialsAndAnAbortThatIsRefusedIsAWarning() {
        HttpSink sink = sink(settings(1));
        open(sink);
        endpoint.refuseTokens();
        objects(3, 200).forEach(sink::accept);
        ShippingException failure = catchThrowableOfType(ShippingException.class,
                () -> sink.commit(List.of(), Instant.now(), REPORT));

        List<ILoggingEvent> logged = logged(() -> sink.abort(failure, Instant.now()));

        assertThat(endpoint.aborts()).isEmpty();
        assertThat(endpoint.requests("abort")).isPositive();
        assertThat(lastBody()).contains("\"reason\":\"credentials\"");
        assertThat(logged).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).startsWith("Could not tell the endpoint that fetching");
        });
    }

    @Test
    void anEndpointWithoutTheAbortRouteIsOnlyADebugLine() {
        endpoint.withoutAbortRoute();
        HttpSink sink = sink(settings(1));
        open(sink);

        List<ILoggingEvent> logged = logged(() -> sink.abort(
                new CollectorException("ConcurrentLister pods at https://10.0.0.1 failed: connection refused."), Instant.now()));

        assertThat(endpoint.requests("abort")).isEqualTo(1);
        assertThat(lastBody()).contains("\"reason\":\"api-unreachable\"");
        assertThat(logged).noneSatisfy(event -> assertThat(event.getLevel()).isEqualTo(Level.WARN))
                .anySatisfy(event -> {
                    assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
                    assertThat(event.getFormattedMessage()).contains("no abort route");
                });
    }

    @Test
    void aRunWhoseStartWasRefusedSendsNoAbort() {
        endpoint.bind(CLUSTER, "another-kube-system-uid");
        HttpSink sink = sink(settings(1));
        ShippingException failure = catchThrowableOfType(ShippingException.class, () -> open(sink));

        sink.abort(failure, Instant.now());

        assertThat(endpoint.requests("start")).isEqualTo(1);
        assertThat(endpoint.requests("abort")).isZero();
    }

    private String lastBody() {
        List<byte[]> bodies = endpoint.bodies();
        return new String(bodies.get(bodies.size() - 1), StandardCharsets.UTF_8);
    }

    @Test
    void theSendersLogUnderTheRunIdOfTheThreadThatOpenedTheSink() {
        HttpSink sink = sink(settings(2));
        List<ILoggingEvent> events = logged(() -> {
            MDC.put("runId", "run-of-the-test");
            try {
                open(sink);
            } finally {
                MDC.remove("runId");
            }
            objects(30, 600).forEach(sink::accept);
            sink.commit(List.of(), Instant.now(), REPORT);
        });

        List<ILoggingEvent> senders = events.stream()
                .filter(event -> event.getThreadName().startsWith("shipping-"))
                .toList();
        assertThat(senders).isNotEmpty().allSatisfy(event ->
                assertThat(event.getMDCPropertyMap()).containsEntry("runId", "run-of-the-test"));
    }

    /** What the collector logged, DEBUG included, while {@code action} ran. */
    private static List<ILoggingEvent> logged(Runnable action) {
        Logger logger = (Logger) LoggerFactory.getLogger("io.k8scollector");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(appender);
        try {
            action.run();
            return List.copyOf(appender.list);
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }
    }

    @Test
    void readsItsSettingsFromConfiguration() {
        ShippingSettings settings = ShippingSettings.from(ConfigSource.of(Map.of(
                        "endpoint", endpoint.uri().toString(), "collector.PageSize", "4", "collector.gzipLevel", "9")),
                Map.of("INFRALIGHT_ACCESS_KEY", IngestEndpoint.ACCESS_KEY, "INFRALIGHT_SECRET_KEY", IngestEndpoint.SECRET_KEY),
                false);
        HttpSink sink = sink(settings);
        open(sink);
        objects(30, 500).forEach(sink::accept);

        assertThat(sink.commit(List.of(), Instant.now(), REPORT).objects()).isEqualTo(30);
        assertThat(endpoint.pages()).allSatisfy(page -> assertThat(page.plainSize()).isLessThanOrEqualTo(4096));
    }

    private HttpSink sink(ShippingSettings settings) {
        return sink(settings, Compressor.gzip(settings.gzipLevel()));
    }

    private HttpSink sink(ShippingSettings settings, Compressor compressor) {
        HttpSink sink = new HttpSink(settings, compressor, time.retrier(settings.retry()));
        sinks.add(sink);
        return sink;
    }

    private String open(HttpSink sink) {
        String fetchingId = FetchingId.generate(Instant.now());
        sink.open(CLUSTER, new FetchingStart(fetchingId, CLUSTER_UID, false, new FetchingStart.Collector("1.2.3"), Instant.now()));
        return fetchingId;
    }

    private ShippingSettings settings(int concurrency) {
        return new ShippingSettings(endpoint.uri(), endpoint.uri(),
                new ShippingSettings.Credentials(IngestEndpoint.ACCESS_KEY, IngestEndpoint.SECRET_KEY), false, PAGE_KIB,
                concurrency, 1, new RetryPolicy(3, Duration.ofSeconds(5), Duration.ofMillis(5), Duration.ofMillis(40)),
                Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(5), EnvironmentProxySelector.from(Map.of()));
    }

    private static ShippingSettings withEndpoint(ShippingSettings s, URI uri) {
        return new ShippingSettings(uri, uri, s.credentials(), false, s.pageSizeKib(), s.concurrency(), s.gzipLevel(),
                s.retry(), s.caFile(), s.connectTimeout(), s.requestTimeout(), s.proxies());
    }

    private static List<ShippedRecord> objects(int n, int size) {
        return IntStream.range(0, n).mapToObj(i -> TestRecords.object("pod-" + i, "v1", "Pod", "shop", size)).toList();
    }

    private static ShippedRecord json(RecordKind kind, String format, Object... args) {
        return TestRecords.record(kind, String.format(format, args));
    }
}
