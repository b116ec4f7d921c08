package io.k8scollector.collector.check;

import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.k8scollector.collector.CollectorException;
import io.k8scollector.collector.discovery.ApiServer;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.retry.Retrier;
import io.k8scollector.collector.retry.RetriesExhausted;
import io.k8scollector.collector.retry.Verdict;
import io.k8scollector.protocol.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Whether the collector's identity may list each type, as a run would list it (in
 * {@code collector.watchNamespace} for a namespaced type, when set). It asks the API server with a
 * {@code SelfSubjectAccessReview} per type, a few at a time: a rules review would be incomplete under
 * a webhook authorizer, and a review lists no object. Where the server gives the first review no
 * verdict (404 where the authorization API is not served, 403 where the identity may not create
 * reviews, any other answer without {@code status.allowed}), it lists one object of each type
 * instead ({@code limit=1}); a later review without a verdict makes that type's permission unknown.
 * Every request is retried as listing and discovery retry theirs, by the run's {@link Retrier}
 * (429, 5xx and connection errors, with backoff and {@code Retry-After}); a status that stays is
 * taken as the answer, and an API server that never answers ends the check
 * ({@link CollectorException}).
 */
final class ListPermissions {

    static final String REVIEWS_PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    private static final Logger LOG = LoggerFactory.getLogger(ListPermissions.class);
    private static final int AT_ONCE = 8;

    /**
     * One type's answer.
     *
     * @param allowed whether a run may list it
     * @param reason the server's reason, or the failed list's status, when not allowed
     */
    record Permission(ResourceType type, boolean allowed, String reason) {}

    /**
     * All types' answers and how they were found.
     *
     * @param refusal why reviews were not answered (the list fallback was used), if they were not
     */
    record Answers(Map<ResourceType, Permission> byType, Optional<String> refusal) {}

    private final ApiServer server;
    private final String namespace;
    private final Retrier retrier;

    /**
     * Reviews on {@code server}, with namespaced types reviewed in {@code namespace} (null for all),
     * each request retried by {@code retrier}.
     */
    ListPermissions(ApiServer server, String namespace, Retrier retrier) {
        this.server = server;
        this.namespace = namespace;
        this.retrier = retrier;
    }

    /**
     * Asks for every type of {@code types}; the first answer decides between reviews and lists.
     *
     * @throws CollectorException when the API server stops answering (a request got no answer
     *     within its retries), or the check is interrupted
     */
    Answers check(List<ResourceType> types) {
        Map<ResourceType, Permission> answers = new LinkedHashMap<>();
        if (types.isEmpty()) {
            return new Answers(answers, Optional.empty());
        }
        Answer first = review(types.get(0));
        boolean reviewed = first.refusal() == null;
        ExecutorService pool = Executors.newFixedThreadPool(AT_ONCE, task -> {
            Thread thread = new Thread(task, "check-permissions");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Permission>> pending = new ArrayList<>();
            for (ResourceType type : types) {
                if (type == types.get(0) && reviewed) {
                    answers.put(type, first.permission());
                } else {
                    pending.add(pool.submit(() -> reviewed ? review(type).permission() : list(type)));
                }
            }
            for (Future<Permission> future : pending) {
                Permission permission = future.get();
                answers.put(permission.type(), permission);
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof CollectorException failed
                    ? failed
                    : new CollectorException("Checking the list permissions at " + server.base() + " failed: "
                            + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CollectorException("Interrupted while checking the list permissions at " + server.base() + ".", e);
        } finally {
            pool.shutdownNow();
        }
        Optional<String> refusal = reviewed
                ? Optional.empty()
                : Optional.of("POST " + server.base() + REVIEWS_PATH + " " + first.refusal());
        return new Answers(answers, refusal);
    }

    /**
     * A review's outcome: a permission, or, when the server gave no verdict, what it answered
     * instead ({@code answered HTTP 404}).
     */
    private record Answer(Permission permission, String refusal) {}

    private Answer review(ResourceType type) {
        HttpRequest request = server.http().newHttpRequestBuilder()
                .uri(server.resolve(REVIEWS_PATH))
                .header("Accept", "application/json")
                .post("application/json", Json.MAPPER.writeValueAsBytes(reviewOf(type)))
                .build();
        Reply reply = send(request, "POST " + server.base() + REVIEWS_PATH);
        JsonNode verdict = reply.ok() ? parsed(reply.body()).path("status") : null;
        if (verdict == null || !verdict.path("allowed").isBoolean()) {
            // 404 where the authorization API is not served, 403 where reviews are not allowed,
            // or a server that does not implement them (405, a body without a verdict).
            String refusal = verdict == null ? "answered " + reply.status() : "answered without status.allowed";
            return new Answer(new Permission(type, false, "the SelfSubjectAccessReview " + refusal
                    + ", so whether a run may list it is not known"), refusal);
        }
        boolean allowed = verdict.path("allowed").asBoolean() && !verdict.path("denied").asBoolean(false);
        String reason = verdict.path("reason").asString("");
        return new Answer(new Permission(type, allowed, allowed ? "" : reason.isBlank()
                ? "the SelfSubjectAccessReview was not allowed" : "the SelfSubjectAccessReview answered: " + reason), null);
    }

    private ObjectNode reviewOf(ResourceType type) {
        ObjectNode review = Json.MAPPER.createObjectNode();
        review.put("apiVersion", "authorization.k8s.io/v1");
        review.put("kind", "SelfSubjectAccessReview");
        ObjectNode attributes = review.putObject("spec").putObject("resourceAttributes");
        attributes.put("verb", "list");
        attributes.put("group", type.group());
        attributes.put("version", type.version());
        attributes.put("resource", type.resource());
        if (type.namespaced() && namespace != null) {
            attributes.put("namespace", namespace);
        }
        return review;
    }

    /** The fallback: one object of the type, as the run's first page would ask for it. */
    private Permission list(ResourceType type) {
        String path = (type.namespaced() && namespace != null ? type.listPath(namespace) : type.listPath()) + "?limit=1";
        HttpRequest request = server.http().newHttpRequestBuilder()
                .uri(server.resolve(path))
                .header("Accept", "application/json")
                .build();
        Reply reply = send(request, "GET " + path);
        if (reply.ok()) {
            return new Permission(type, true, "");
        }
        return new Permission(type, false, "GET " + path + " answered " + reply.status()
                + (reply.verdict().status() == 403 ? " (forbidden)" : ""));
    }

    /**
     * A final answer, or the last of the retries that ran out.
     *
     * @param attempts how many were sent, when the retries ran out; 0 when the answer was final
     */
    private record Reply(Verdict verdict, byte[] body, int attempts) {

        boolean ok() {
            return verdict.action() == Verdict.Action.DONE;
        }

        /** The status in words for a message: {@code HTTP 403}, {@code HTTP 503 after 8 attempts}. */
        String status() {
            return "HTTP " + verdict.status() + (attempts > 0 ? " after " + attempts + " attempts" : "");
        }
    }

    /**
     * Sends {@code request} until its answer is final, as the retrier allows.
     *
     * @throws CollectorException when no answer arrived within the retries, or when interrupted
     */
    private Reply send(HttpRequest request, String what) {
        try {
            Retrier.Answered<byte[]> answered = retrier.request().until(deadline -> {
                try {
                    HttpResponse<byte[]> response = server.http().sendAsync(request, byte[].class).get();
                    return new Retrier.Answered<>(response.body(), Verdict.of(response.code(),
                            Optional.ofNullable(response.header("Retry-After")), retrier.clock().instant()));
                } catch (ExecutionException e) {
                    LOG.debug("{} failed: {}", what, String.valueOf(e.getCause()));
                    return new Retrier.Answered<>(null, Verdict.ioError());
                }
            }, (verdict, retry, retries, wait) -> LOG.info("Retrying {} in {} ms: {} (retry {} of {}).",
                    what, wait.toMillis(), verdict.describe(), retry, retries));
            return new Reply(answered.verdict(), answered.answer(), 0);
        } catch (RetriesExhausted e) {
            if (e.last().status() == 0) {
                throw new CollectorException("The API server stopped answering: " + what + " got "
                        + e.last().describe() + " after " + e.attempts() + " attempts.", e);
            }
            return new Reply(e.last(), null, e.attempts());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CollectorException("Interrupted while waiting to retry " + what + ".", e);
        }
    }

    private static JsonNode parsed(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            return Json.MAPPER.createObjectNode();
        }
    }
}
