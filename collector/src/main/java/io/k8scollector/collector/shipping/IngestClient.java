package io.k8scollector.collector.shipping;

import io.k8scollector.protocol.ErrorBody;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.LoginRequest;
import io.k8scollector.protocol.LoginResponse;
import io.k8scollector.protocol.Paths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * The one sender: POSTs a payload to the endpoint under the protocol's rules and answers only with
 * what the caller must act on (2xx, and 413 for pages, which the caller splits). It retries what
 * can succeed later (429, 5xx, connection errors, timeouts) under the {@link RetryPolicy}, logs in
 * again once on 401 (one shared login for every request in flight), falls back to plain JSON after
 * a 415 for the rest of the run, and turns every other answer into a {@link ShippingException}
 * whose message never carries the token or a body sent. Thread-safe.
 */
final class IngestClient {

    private static final Logger LOG = LoggerFactory.getLogger(IngestClient.class);
    private static final String POST = "POST";

    private final ShippingSettings settings;
    private final HttpClient http;
    private final String userAgent;
    private final Compressor compressor;
    private final ShippingTally tally;
    private final RandomGenerator random;
    private final Object loginLock = new Object();
    private volatile Token token;
    private volatile boolean plainOnly;

    IngestClient(ShippingSettings settings, String version, Compressor compressor, ShippingTally tally, RandomGenerator random) {
        this.settings = settings;
        this.userAgent = "k8s-collector/" + version;
        this.compressor = compressor;
        this.tally = tally;
        this.random = random;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .proxy(settings.proxies())
                .sslContext(EndpointTrust.sslContext(settings.caFile()))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Logs in with the key pair; the token is kept for every later request. */
    void login() {
        synchronized (loginLock) {
            Token previous = token;
            Payload body = new JsonPayload(
                    new LoginRequest(settings.credentials().accessKey(), settings.credentials().secretKey()), compressor);
            Answer answer = exchange(settings.loginEndpoint(), Paths.LOGIN, body, false, false, settings.retry().deadline());
            LoginResponse response;
            try {
                response = Json.MAPPER.readValue(answer.body(), LoginResponse.class);
            } catch (JacksonException e) {
                response = null;
            }
            if (answer.status() != 200 || response == null || response.accessToken() == null
                    || response.accessToken().isBlank()) {
                throw new ShippingException(POST, Paths.LOGIN, answer.status(), POST + " " + settings.loginEndpoint()
                        + Paths.LOGIN + " answered " + answer.status() + " without an access_token; check that "
                        + ShippingSettings.LOGIN_ENDPOINT + " points at the ingest service.");
            }
            token = new Token(response.accessToken(), previous == null ? 1 : previous.generation() + 1);
        }
    }

    /**
     * POSTs {@code payload} to {@code path} under the endpoint.
     *
     * @return the 2xx answer
     * @throws ShippingException for every other final answer, or when retries ran out
     */
    Answer post(String path, Payload payload) {
        return exchange(settings.endpoint(), path, payload, true, false, settings.retry().deadline());
    }

    /**
     * POSTs {@code payload} to {@code path} under the endpoint, retrying only within {@code within}
     * (a message sent on the way out, which must not hold the exit up).
     *
     * @return the 2xx answer
     * @throws ShippingException for every other final answer, or when {@code within} ran out
     */
    Answer post(String path, Payload payload, Duration within) {
        return exchange(settings.endpoint(), path, payload, true, false, within);
    }

    /**
     * POSTs a page, which the caller can split.
     *
     * @return the answer when it is 2xx or 413
     * @throws ShippingException for every other final answer, or when retries ran out
     */
    Answer postPage(String path, Payload payload) {
        return exchange(settings.endpoint(), path, payload, true, true, settings.retry().deadline());
    }

    private Answer exchange(URI base, String path, Payload payload, boolean authorized, boolean splittable,
            Duration within) {
        URI uri = URI.create(base + path);
        Instant deadline = Instant.now().plus(within);
        boolean relogged = false;
        boolean fellBack = false;
        int attempt = 0;
        String lastCause;
        while (true) {
            attempt++;
            Token used = token;
            Payload.Body body = plainOnly ? payload.plain() : payload.encoded();
            Duration wait;
            try {
                HttpResponse<byte[]> response = http.send(request(uri, body, authorized ? used : null, deadline),
                        HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                LOG.debug("{} {} answered {} (attempt {})", POST, path, status, attempt);
                if (status / 100 == 2 || (status == 413 && splittable)) {
                    return new Answer(status, response.body(), body);
                }
                if (status == 415 && body.encoding().isPresent() && !fellBack) {
                    LOG.warn("{} {} answered 415 to {} bodies; sending plain JSON from now on", POST, path,
                            body.encoding().get());
                    plainOnly = true;
                    fellBack = true;
                    tally.retry("415-plain");
                    attempt--;
                    continue;
                }
                if (status == 401 && authorized && !relogged) {
                    relogin(used);
                    relogged = true;
                    tally.retry("401-relogin");
                    attempt--;
                    continue;
                }
                if (!retryable(status)) {
                    throw refused(uri, path, status, response.body(), authorized, relogged);
                }
                lastCause = String.valueOf(status);
                wait = max(settings.retry().backoff(attempt, random),
                        retryAfter(response.headers().firstValue("Retry-After"), Instant.now()));
            } catch (HttpTimeoutException e) {
                lastCause = "timeout";
                wait = settings.retry().backoff(attempt, random);
            } catch (SSLException e) {
                throw new ShippingException(POST, path, 0, POST + " " + uri + " failed: TLS verification failed ("
                        + e.getMessage() + "); if the endpoint uses a private CA, set "
                        + ShippingSettings.ENDPOINT_CA_FILE + " to its PEM certificate.", e);
            } catch (IOException e) {
                lastCause = "io";
                wait = settings.retry().backoff(attempt, random);
                LOG.debug("{} {} failed: {}", POST, path, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ShippingException(POST, path, 0, POST + " " + uri + " was interrupted.", e);
            }
            Instant resumeAt = Instant.now().plus(wait);
            if (attempt >= settings.retry().maxAttempts() || !resumeAt.isBefore(deadline)) {
                throw new ShippingException(POST, path, statusOf(lastCause), POST + " " + uri + " failed " + attempt
                        + " time(s) within " + within.toSeconds() + " s (last: " + describe(lastCause)
                        + "); the endpoint is unreachable or overloaded: check " + ShippingSettings.ENDPOINT
                        + ", the network and proxies, then run again.");
            }
            LOG.warn("{} {} failed ({}); retry {} of {} in {} ms", POST, path, describe(lastCause), attempt,
                    settings.retry().maxAttempts() - 1, wait.toMillis());
            tally.retry(lastCause);
            sleep(wait, path, uri);
        }
    }

    private void relogin(Token refused) {
        synchronized (loginLock) {
            if (token == refused) {
                LOG.info("The endpoint refused the token; logging in again");
                login();
            }
        }
    }

    private HttpRequest request(URI uri, Payload.Body body, Token bearer, Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        Duration timeout = left.compareTo(settings.requestTimeout()) < 0 ? left : settings.requestTimeout();
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout)
                .header("User-Agent", userAgent)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        body.encoding().ifPresent(encoding -> builder.header("Content-Encoding", encoding));
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer.value());
        }
        return builder.build();
    }

    private ShippingException refused(URI uri, String path, int status, byte[] answer, boolean authorized, boolean relogged) {
        ErrorBody error = errorBody(answer);
        String said = error.error() == null ? "" : " " + error.error()
                + (error.message() == null ? "" : " (" + oneLine(error.message()) + ")");
        return new ShippingException(POST, path, status, POST + " " + uri + " answered " + status + said + "; "
                + advice(status, error.error(), authorized, relogged, path));
    }

    private static String advice(int status, String code, boolean authorized, boolean relogged, String path) {
        if (status == 401 && !authorized) {
            return "the key pair was refused: check " + ShippingSettings.ACCESS_KEY + " and " + ShippingSettings.SECRET_KEY + ".";
        }
        if (status == 401 && relogged) {
            return "the endpoint refused a fresh token too: check the key pair and that " + ShippingSettings.LOGIN_ENDPOINT
                    + " and " + ShippingSettings.ENDPOINT + " belong to the same service.";
        }
        if (status == 409 && ErrorBody.CLUSTER_CONFLICT.equals(code)) {
            return "this cluster id is already bound to another cluster (a different kube-system Namespace uid). "
                    + "Choose another cluster id, or, if this is the same cluster rebuilt, set "
                    + ShippingSettings.OVERRIDE_UNIQUE_CLUSTER_ID + "=true to move the id to it.";
        }
        if (status == 409 && ErrorBody.INCOMPLETE.equals(code)) {
            return "the endpoint holds fewer records than the commit counts; the snapshot stays uncommitted: run again.";
        }
        if (status == 409 && ErrorBody.STALE.equals(code)) {
            return "a newer snapshot of this cluster was committed while this run went on; this one is discarded "
                    + "and the next run replaces it.";
        }
        if (status == 409 && ErrorBody.FETCHING_COMMITTED.equals(code)) {
            return "this fetching was already committed: run again for a new snapshot.";
        }
        return switch (status) {
            case 400 -> "the endpoint could not read what the collector sent: report it with the collector's version.";
            case 403 -> "the access key is not allowed to send for this cluster id: use the key pair made for it.";
            case 404 -> path.startsWith(Paths.LOGIN) || !path.contains("/fetchings/")
                    ? "check that " + ShippingSettings.ENDPOINT + " is the ingest service's URL."
                    : "the endpoint does not know this fetching (it may have been discarded): run again.";
            case 413 -> "the request is larger than the endpoint accepts: lower " + ShippingSettings.PAGE_SIZE + ".";
            case 415 -> "the endpoint refused the body even as plain JSON: check " + ShippingSettings.ENDPOINT + ".";
            default -> "the answer is not part of the protocol: check " + ShippingSettings.ENDPOINT + ".";
        };
    }

    private static ErrorBody errorBody(byte[] answer) {
        try {
            ErrorBody body = Json.MAPPER.readValue(answer, ErrorBody.class);
            return body == null ? new ErrorBody(null, null) : body;
        } catch (JacksonException e) {
            return new ErrorBody(null, null);
        }
    }

    private static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }

    /**
     * The wait a {@code Retry-After} value asks for, in delta-seconds or as an HTTP date; zero when
     * absent, unreadable or in the past.
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

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static int statusOf(String cause) {
        return cause.chars().allMatch(Character::isDigit) ? Integer.parseInt(cause) : 0;
    }

    private static String describe(String cause) {
        return switch (cause) {
            case "io" -> "connection error";
            case "timeout" -> "no answer in time";
            default -> "status " + cause;
        };
    }

    /** {@code message} on one line, at most about 300 characters. */
    static String oneLine(String message) {
        String flat = message.replaceAll("\\s+", " ").trim();
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    private static void sleep(Duration wait, String path, URI uri) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShippingException(POST, path, 0, POST + " " + uri + " was interrupted.", e);
        }
    }

    /** A final answer the caller acts on, with the body that got it. */
    record Answer(int status, byte[] body, Payload.Body sent) {}

    /** A bearer token; {@code generation} tells a stale token from the current one. */
    private record Token(String value, int generation) {

        @Override
        public String toString() {
            return "Token[generation=" + generation + "]";
        }
    }
}
