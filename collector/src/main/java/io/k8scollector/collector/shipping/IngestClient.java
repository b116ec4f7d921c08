package io.k8scollector.collector.shipping;

import io.k8scollector.collector.Version;
import io.k8scollector.collector.config.EndpointTrust;
import io.k8scollector.collector.config.ShippingSettings;
import io.k8scollector.collector.retry.Retrier;
import io.k8scollector.collector.retry.RetriesExhausted;
import io.k8scollector.collector.retry.Verdict;
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
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * The one sender: POSTs a payload to the endpoint under the protocol's rules and answers only with
 * what the caller must act on (2xx, and 413 for pages, which the caller splits). It retries what
 * can succeed later (429, 5xx, connection errors, timeouts) with the {@link Retrier}, logs in
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
    private final BodyEncoder encoder;
    private final ShippingTally tally;
    private final Retrier retrier;
    private final Object loginLock = new Object();
    private volatile Token token;
    private volatile boolean plainOnly;

    IngestClient(ShippingSettings settings, String version, BodyEncoder encoder, ShippingTally tally, Retrier retrier) {
        this.settings = settings;
        this.userAgent = Version.userAgent(version);
        this.encoder = encoder;
        this.tally = tally;
        this.retrier = retrier;
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
            RequestBody body = new JsonBody(
                    new LoginRequest(settings.credentials().accessKey(), settings.credentials().secretKey()), encoder);
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
    Answer post(String path, RequestBody payload) {
        return exchange(settings.endpoint(), path, payload, true, false, settings.retry().deadline());
    }

    /**
     * POSTs {@code payload} to {@code path} under the endpoint, retrying only within {@code within}
     * (a message sent on the way out, which must not hold the exit up).
     *
     * @return the 2xx answer
     * @throws ShippingException for every other final answer, or when {@code within} ran out
     */
    Answer post(String path, RequestBody payload, Duration within) {
        return exchange(settings.endpoint(), path, payload, true, false, within);
    }

    /**
     * POSTs a page, which the caller can split.
     *
     * @return the answer when it is 2xx or 413
     * @throws ShippingException for every other final answer, or when retries ran out
     */
    Answer postPage(String path, RequestBody payload) {
        return exchange(settings.endpoint(), path, payload, true, true, settings.retry().deadline());
    }

    /**
     * One request under the protocol's rules, in explicit steps that share its deadline and its
     * retries: send (retrying what can succeed later); on {@code 415} to an encoded body, send it
     * again as plain JSON, and so from now on; on {@code 401} with a token, log in again (once, for
     * every request in flight) and send again; each step at most once. Any other answer that is not done (or split, when
     * {@code splittable}) is refused.
     */
    private Answer exchange(URI base, String path, RequestBody payload, boolean authorized, boolean splittable,
            Duration within) {
        URI uri = URI.create(base + path);
        Retrier.Request request = retrier.request(within);
        try {
            Sent sent = send(request, uri, path, payload, authorized);
            boolean fellBack = false;
            boolean relogged = false;
            while (true) {
                if (sent.status() == 415 && sent.body().encoding().isPresent() && !fellBack) {
                    LOG.warn("{} {} answered 415 to {} bodies; sending plain JSON from now on", POST, path,
                            sent.body().encoding().get());
                    plainOnly = true;
                    fellBack = true;
                    tally.retry("415-plain");
                } else if (sent.status() == 401 && authorized && !relogged) {
                    relogin(sent.token());
                    relogged = true;
                    tally.retry("401-relogin");
                } else {
                    break;
                }
                sent = send(request, uri, path, payload, authorized);
            }
            Verdict verdict = sent.verdict();
            if (verdict.action() == Verdict.Action.DONE || (verdict.action() == Verdict.Action.SPLIT && splittable)) {
                return new Answer(sent.status(), sent.response().body(), sent.body());
            }
            throw refused(uri, path, sent.status(), sent.response().body(), authorized, relogged);
        } catch (RetriesExhausted e) {
            throw new ShippingException(POST, path, e.last().status(), POST + " " + uri + " failed " + e.attempts()
                    + " time(s) within " + within.toSeconds() + " s (last: " + e.last().describe()
                    + "); the endpoint is unreachable or overloaded: check " + ShippingSettings.ENDPOINT
                    + ", the network and proxies, then run again.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShippingException(POST, path, 0, POST + " " + uri + " was interrupted.", e);
        }
    }

    /** Sends {@code payload} until a final answer, in the form the run sends now, with the current token. */
    private Sent send(Retrier.Request request, URI uri, String path, RequestBody payload, boolean authorized)
            throws RetriesExhausted, InterruptedException {
        return request.until(deadline -> {
            Token used = token;
            RequestBody.Form body = plainOnly ? payload.plain() : payload.encoded();
            try {
                HttpResponse<byte[]> response = http.send(request(uri, body, authorized ? used : null, deadline),
                        HttpResponse.BodyHandlers.ofByteArray());
                LOG.debug("{} {} answered {}", POST, path, response.statusCode());
                Verdict verdict = Verdict.of(response.statusCode(), response.headers().firstValue("Retry-After"),
                        retrier.clock().instant());
                return new Retrier.Answered<>(new Sent(response, body, used, verdict), verdict);
            } catch (HttpTimeoutException e) {
                return new Retrier.Answered<>(null, Verdict.timeout());
            } catch (SSLException e) {
                throw new ShippingException(POST, path, 0, POST + " " + uri + " failed: TLS verification failed ("
                        + e.getMessage() + "); if the endpoint uses a private CA, set "
                        + ShippingSettings.ENDPOINT_CA_FILE + " to its PEM certificate.", e);
            } catch (IOException e) {
                LOG.debug("{} {} failed: {}", POST, path, e.toString());
                return new Retrier.Answered<>(null, Verdict.ioError());
            }
        }, (verdict, retry, retries, wait) -> {
            LOG.warn("{} {} failed ({}); retry {} of {} in {} ms", POST, path, verdict.describe(), retry, retries,
                    wait.toMillis());
            tally.retry(verdict.cause());
        }).answer();
    }

    /** A final answer to one sending, with the body and the token that got it. */
    private record Sent(HttpResponse<byte[]> response, RequestBody.Form body, Token token, Verdict verdict) {

        int status() {
            return response.statusCode();
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

    private HttpRequest request(URI uri, RequestBody.Form body, Token bearer, Instant deadline) {
        Duration left = Duration.between(retrier.clock().instant(), deadline);
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
        String message = POST + " " + uri + " answered " + status + said + "; "
                + advice(status, error.error(), authorized, relogged, path);
        if (status == 409 && ErrorBody.BASE_MISMATCH.equals(error.error())) {
            return new BaseMismatch(POST, path, error.current(), message);
        }
        return new ShippingException(POST, path, status, error.error(), message);
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
        if (status == 409 && ErrorBody.BASE_MISMATCH.equals(code)) {
            return "the delta's base is no longer the cluster's current snapshot: a full fetching follows.";
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

    /** {@code message} on one line, at most about 300 characters. */
    static String oneLine(String message) {
        String flat = message.replaceAll("\\s+", " ").trim();
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    /** A final answer the caller acts on, with the body that got it. */
    record Answer(int status, byte[] body, RequestBody.Form sent) {}

    /** A bearer token; {@code generation} tells a stale token from the current one. */
    private record Token(String value, int generation) {

        @Override
        public String toString() {
            return "Token[generation=" + generation + "]";
        }
    }
}
