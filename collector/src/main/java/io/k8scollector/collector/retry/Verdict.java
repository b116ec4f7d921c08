package io.k8scollector.collector.retry;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What one answer means for the request that got it, worked out from the answer alone: done
 * (2xx), split ({@code 413}: the caller may send the body in halves), retry after a delay
 * ({@code 429}, {@code 5xx}, an I/O error or a timeout) or fail (every other status). What a
 * caller does beyond that with a {@code FAIL} (log in again on {@code 401}, send plain JSON after
 * {@code 415}, skip a type on {@code 403}) is the caller's own explicit step.
 *
 * @param action what to do with the answer
 * @param status the HTTP status, 0 when there was no answer
 * @param cause a short name of the cause, for figures: the status, {@code io} or {@code timeout}
 * @param retryAfter the wait the server asked for with {@code Retry-After}, zero when it asked none
 */
public record Verdict(Action action, int status, String cause, Duration retryAfter) {

    /** What the caller does with an answer. */
    public enum Action { DONE, SPLIT, RETRY, FAIL }

    public Verdict {
        if (retryAfter == null || retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must be zero or positive, was " + retryAfter);
        }
    }

    /**
     * The verdict on an HTTP answer.
     *
     * @param retryAfter the answer's {@code Retry-After} header, if any
     * @param now when the answer arrived, for a {@code Retry-After} given as an HTTP date
     */
    public static Verdict of(int status, Optional<String> retryAfter, Instant now) {
        String cause = String.valueOf(status);
        if (status / 100 == 2) {
            return new Verdict(Action.DONE, status, cause, Duration.ZERO);
        }
        if (status == 413) {
            return new Verdict(Action.SPLIT, status, cause, Duration.ZERO);
        }
        if (status == 429 || status >= 500) {
            return new Verdict(Action.RETRY, status, cause, retryAfter(retryAfter, now));
        }
        return new Verdict(Action.FAIL, status, cause, Duration.ZERO);
    }

    /** No answer arrived: the connection failed or broke off ({@code io}), which can succeed later. */
    public static Verdict ioError() {
        return new Verdict(Action.RETRY, 0, "io", Duration.ZERO);
    }

    /** No answer arrived in time ({@code timeout}), which can succeed later. */
    public static Verdict timeout() {
        return new Verdict(Action.RETRY, 0, "timeout", Duration.ZERO);
    }

    /** This verdict as final: the caller knows that this answer will not change soon. */
    public Verdict asFailure() {
        return new Verdict(Action.FAIL, status, cause, Duration.ZERO);
    }

    /** Whether another attempt can succeed. */
    public boolean retryable() {
        return action == Action.RETRY;
    }

    /** The cause in words, for messages: {@code status 503}, {@code connection error}, {@code no answer in time}. */
    public String describe() {
        return switch (cause) {
            case "io" -> "connection error";
            case "timeout" -> "no answer in time";
            default -> "status " + cause;
        };
    }

    /**
     * The wait a {@code Retry-After} value asks for, in delta-seconds or as an HTTP date (RFC 9110
     * §10.2.3); zero when absent, unreadable or in the past.
     */
    static Duration retryAfter(Optional<String> header, Instant now) {
        if (header.isEmpty()) {
            return Duration.ZERO;
        }
        String value = header.get().trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException unreadable) {
                return Duration.ZERO;
            }
        }
    }
}
