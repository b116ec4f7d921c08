package io.k8scollector.collector.check;

import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.k8scollector.collector.discovery.ApiServer;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.protocol.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
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
 */
final class ListPermissions {

    static final String REVIEWS_PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
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
    private final Semaphore slots = new Semaphore(AT_ONCE);

    /** Reviews on {@code server}, with namespaced types reviewed in {@code namespace} (null for all). */
    ListPermissions(ApiServer server, String namespace) {
        this.server = server;
        this.namespace = namespace;
    }

    /** Asks for every type of {@code types}; the first answer decides between reviews and lists. */
    Answers check(List<ResourceType> types) {
        Map<ResourceType, Permission> answers = new LinkedHashMap<>();
        if (types.isEmpty()) {
            return new Answers(answers, Optional.empty());
        }
        Answer first = review(types.get(0)).join();
        boolean reviewed = first.refusal() == null;
        List<CompletableFuture<Permission>> pending = new ArrayList<>();
        pending.add(reviewed
                ? CompletableFuture.completedFuture(first.permission())
                : list(types.get(0)));
        for (ResourceType type : types.subList(1, types.size())) {
            pending.add(reviewed ? review(type).thenApply(Answer::permission) : list(type));
        }
        pending.forEach(future -> {
            Permission permission = future.join();
            answers.put(permission.type(), permission);
        });
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

    private CompletableFuture<Answer> review(ResourceType type) {
        HttpRequest request = server.http().newHttpRequestBuilder()
                .uri(server.resolve(REVIEWS_PATH))
                .header("Accept", "application/json")
                .post("application/json", Json.MAPPER.writeValueAsBytes(reviewOf(type)))
                .build();
        return bounded(() -> server.http().sendAsync(request, byte[].class)).thenApply(response -> {
            int status = response.code();
            JsonNode verdict = status / 100 == 2 ? parsed(response.body()).path("status") : null;
            if (verdict == null || !verdict.path("allowed").isBoolean()) {
                // 404 where the authorization API is not served, 403 where reviews are not allowed,
                // or a server that does not implement them (405, a body without a verdict).
                String refusal = verdict == null ? "answered HTTP " + status : "answered without status.allowed";
                return new Answer(new Permission(type, false, "the SelfSubjectAccessReview " + refusal
                        + ", so whether a run may list it is not known"), refusal);
            }
            boolean allowed = verdict.path("allowed").asBoolean() && !verdict.path("denied").asBoolean(false);
            String reason = verdict.path("reason").asString("");
            return new Answer(new Permission(type, allowed, allowed ? "" : reason.isBlank()
                    ? "the SelfSubjectAccessReview was not allowed" : "the SelfSubjectAccessReview answered: " + reason), null);
        });
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
    private CompletableFuture<Permission> list(ResourceType type) {
        String path = (type.namespaced() && namespace != null ? type.listPath(namespace) : type.listPath()) + "?limit=1";
        HttpRequest request = server.http().newHttpRequestBuilder()
                .uri(server.resolve(path))
                .header("Accept", "application/json")
                .build();
        return bounded(() -> server.http().sendAsync(request, byte[].class)).thenApply(response -> {
            int status = response.code();
            if (status / 100 == 2) {
                return new Permission(type, true, "");
            }
            return new Permission(type, false, "GET " + path + " answered HTTP " + status
                    + (status == 403 ? " (forbidden)" : ""));
        });
    }

    /** Runs {@code send} once a slot is free and frees the slot when its answer arrives. */
    private CompletableFuture<HttpResponse<byte[]>> bounded(
            Supplier<CompletableFuture<HttpResponse<byte[]>>> send) {
        slots.acquireUninterruptibly();
        try {
            return send.get().whenComplete((response, error) -> slots.release());
        } catch (RuntimeException e) {
            slots.release();
            throw e;
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
