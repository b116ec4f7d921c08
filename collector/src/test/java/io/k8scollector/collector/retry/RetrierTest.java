package io.k8scollector.collector.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetrierTest {

    private static final RetryPolicy POLICY = new RetryPolicy(4, Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofSeconds(1));

    private final FakeTime time = new FakeTime();
    private final Retrier retrier = time.retrier(POLICY);
    private final List<String> told = new ArrayList<>();

    /** Answers the statuses in turn (0 for a connection error), the last one for ever. */
    private Retrier.Attempt<Integer> answering(Integer... statuses) {
        Deque<Integer> left = new ArrayDeque<>(List.of(statuses));
        return deadline -> {
            int status = left.size() > 1 ? left.pop() : left.peek();
            Verdict verdict = status == 0 ? Verdict.ioError() : Verdict.of(status, Optional.empty(), time.instant());
            return new Retrier.Answered<>(status, verdict);
        };
    }

    private Retrier.RetryListener listener() {
        return (verdict, retry, retries, wait) -> told.add(verdict.cause() + " " + retry + "/" + retries);
    }

    @Test
    void retriesWhatCanSucceedLaterUntilAFinalAnswer() throws Exception {
        Retrier.Answered<Integer> answered = retrier.request().until(answering(503, 0, 429, 200), listener());

        assertThat(answered.answer()).isEqualTo(200);
        assertThat(answered.verdict().action()).isEqualTo(Verdict.Action.DONE);
        assertThat(told).containsExactly("503 1/3", "io 2/3", "429 3/3");
        assertThat(time.waits()).hasSize(3).allSatisfy(wait -> assertThat(wait).isBetween(Duration.ZERO, Duration.ofMillis(400)));
    }

    @Test
    void aFinalAnswerIsNeverRetried() throws Exception {
        Retrier.Answered<Integer> answered = retrier.request().until(answering(404, 200), listener());

        assertThat(answered.verdict().action()).isEqualTo(Verdict.Action.FAIL);
        assertThat(answered.answer()).isEqualTo(404);
        assertThat(time.waits()).isEmpty();
    }

    @Test
    void givesUpAfterTheAttemptsOfThePolicy() {
        assertThatThrownBy(() -> retrier.request().until(answering(502), listener()))
                .isInstanceOfSatisfying(RetriesExhausted.class, e -> {
                    assertThat(e.attempts()).isEqualTo(4);
                    assertThat(e.last().status()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("4 attempt(s)").contains("status 502");
                });
        assertThat(time.waits()).hasSize(3);
    }

    @Test
    void theServersDelayWinsOverAShorterBackoff() throws Exception {
        Deque<String> headers = new ArrayDeque<>(List.of("2", "Fri, 27 Nov 2026 15:00:05 GMT"));
        Retrier.Answered<String> answered = retrier.request().until(deadline -> headers.isEmpty()
                ? new Retrier.Answered<>("ok", Verdict.of(200, Optional.empty(), time.instant()))
                : new Retrier.Answered<>(null, Verdict.of(429, Optional.of(headers.pop()), time.instant())), listener());

        assertThat(answered.answer()).isEqualTo("ok");
        assertThat(time.waits()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    @Test
    void neverStartsAnAttemptPastTheDeadline() {
        Retrier.Request request = retrier.request(Duration.ofSeconds(10));

        assertThatThrownBy(() -> request.until(deadline -> {
            time.pass(Duration.ofSeconds(4));
            return new Retrier.Answered<>(null, Verdict.of(503, Optional.of("5"), time.instant()));
        }, listener())).isInstanceOfSatisfying(RetriesExhausted.class, e -> {
            assertThat(e.attempts()).isEqualTo(2);
            assertThat(e.within()).isEqualTo(Duration.ofSeconds(10));
        });
        assertThat(time.waits()).containsExactly(Duration.ofSeconds(5));
        assertThat(request.deadline()).isEqualTo(Instant.parse("2026-11-27T15:00:10Z"));
    }

    @Test
    void theStepsOfOneRequestShareItsRetries() throws Exception {
        Retrier.Request request = retrier.request();
        request.until(answering(503, 503, 401), listener());

        assertThatThrownBy(() -> request.until(answering(503), listener()))
                .isInstanceOfSatisfying(RetriesExhausted.class, e -> assertThat(e.attempts()).isEqualTo(4));
        assertThat(told).containsExactly("503 1/3", "503 2/3", "503 3/3");
    }
}
