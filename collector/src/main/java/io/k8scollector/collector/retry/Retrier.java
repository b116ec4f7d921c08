package io.k8scollector.collector.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * Retries requests under one {@link RetryPolicy}: after an answer whose {@link Verdict} is
 * {@code RETRY} it waits the policy's jittered backoff, or the server's {@code Retry-After} when
 * that is longer, and tries again, until an answer is final, the attempts run out, or the next
 * attempt would start past the request's deadline. The clock, the sleeper and the randomness are
 * injected, so that tests check the waits without waiting. Thread-safe; each request keeps its
 * own count in its {@link Request}.
 */
public final class Retrier {

    private final RetryPolicy policy;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    public Retrier(RetryPolicy policy, Clock clock, Sleeper sleeper, RandomGenerator random) {
        this.policy = policy;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
    }

    /**
     * A retrier on real time. Its jitter comes from {@link Random}: thread-safe, as the listing
     * threads share one retrier, and in {@code java.base}, where the image's runtime has it
     * ({@code RandomGenerator.getDefault()} needs the {@code jdk.random} module, which it leaves out).
     */
    public static Retrier of(RetryPolicy policy) {
        return new Retrier(policy, Clock.systemUTC(), Sleeper.SYSTEM, new Random());
    }

    public RetryPolicy policy() {
        return policy;
    }

    /** The clock the deadlines are read on. */
    public Clock clock() {
        return clock;
    }

    /** One request with the policy's deadline, counted from now. */
    public Request request() {
        return request(policy.deadline());
    }

    /** One request that must be done {@code within} from now (a message on the way out, which must not hold the exit up). */
    public Request request(Duration within) {
        return new Request(clock.instant().plus(within), within);
    }

    /** One attempt: sends the request once and judges its answer. */
    @FunctionalInterface
    public interface Attempt<T> {

        /** Sends once; {@code deadline} is when the request as a whole must be done. */
        Answered<T> send(Instant deadline) throws InterruptedException;
    }

    /** What one attempt got: the answer (null when none arrived) and its verdict. */
    public record Answered<T>(T answer, Verdict verdict) {}

    /** Told before each wait, for logs and figures. */
    @FunctionalInterface
    public interface RetryListener {

        /** Retry {@code retry} of at most {@code retries} follows after {@code wait}, because of {@code verdict}. */
        void retrying(Verdict verdict, int retry, int retries, Duration wait);
    }

    /**
     * One request's attempts and deadline. A request may take several steps (a login again after
     * {@code 401}, plain JSON after {@code 415}): each step calls {@link #until} again and shares
     * the deadline and the retries already used; an answer that led to a step is not a retry.
     * Not thread-safe: one request, one thread.
     */
    public final class Request {

        private final Instant deadline;
        private final Duration within;
        private int retries;

        private Request(Instant deadline, Duration within) {
            this.deadline = deadline;
            this.within = within;
        }

        /** When the request as a whole must be done. */
        public Instant deadline() {
            return deadline;
        }

        /**
         * Sends until an answer is final (its verdict is not {@code RETRY}) and answers it.
         *
         * @throws RetriesExhausted when the attempts ran out or the next would start past the deadline
         * @throws InterruptedException when interrupted while waiting
         */
        public <T> Answered<T> until(Attempt<T> attempt, RetryListener listener) throws RetriesExhausted, InterruptedException {
            while (true) {
                Answered<T> answered = attempt.send(deadline);
                Verdict verdict = answered.verdict();
                if (!verdict.retryable()) {
                    return answered;
                }
                int attempts = retries + 1;
                Duration wait = max(policy.backoff(attempts, random), verdict.retryAfter());
                if (attempts >= policy.maxAttempts() || !clock.instant().plus(wait).isBefore(deadline)) {
                    throw new RetriesExhausted(verdict, attempts, within);
                }
                retries = attempts;
                listener.retrying(verdict, retries, policy.maxAttempts() - 1, wait);
                sleeper.sleep(wait);
            }
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
