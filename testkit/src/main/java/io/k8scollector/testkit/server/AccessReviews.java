package io.k8scollector.testkit.server;

import io.k8scollector.protocol.Json;
import io.k8scollector.testkit.Faults;
import io.k8scollector.testkit.catalog.TypeKey;
import java.io.IOException;
import java.util.OptionalInt;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers {@code POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews} consistently with the
 * forbidden-type faults: the test cluster's one identity may do anything except on a forbidden type,
 * whatever the verb or namespace, as the API paths themselves answer. Non-resource attributes are
 * always allowed. With {@link Faults#refuseAccessReviews} every review is refused instead.
 */
final class AccessReviews {

    static final String PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

    private final Faults faults;

    AccessReviews(Faults faults) {
        this.faults = faults;
    }

    void answer(Exchange exchange) throws IOException {
        OptionalInt refusal = faults.accessReviewRefusal();
        if (refusal.isPresent()) {
            exchange.status(Status.reasonFor(refusal.getAsInt(), refusal.getAsInt() == 404
                    ? "the server could not find the requested resource"
                    : "selfsubjectaccessreviews.authorization.k8s.io is forbidden: User "
                            + "\"system:serviceaccount:default:k8s-collector\" cannot create resource "
                            + "\"selfsubjectaccessreviews\" in API group \"authorization.k8s.io\" at the cluster scope")
                    .about("selfsubjectaccessreviews", "authorization.k8s.io", null));
            return;
        }
        JsonNode review;
        try {
            review = Json.MAPPER.readTree(exchange.body());
        } catch (JacksonException e) {
            exchange.status(Status.reasonFor(400, "the body is not JSON; send one SelfSubjectAccessReview"));
            return;
        }
        JsonNode spec = review.path("spec");
        JsonNode attributes = spec.path("resourceAttributes");
        if (!attributes.isObject() && !spec.path("nonResourceAttributes").isObject()) {
            exchange.status(Status.of(422, "Invalid", "SelfSubjectAccessReview.authorization.k8s.io is invalid: "
                    + "spec: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified"));
            return;
        }
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("kind", "SelfSubjectAccessReview");
        answer.put("apiVersion", "authorization.k8s.io/v1");
        answer.putObject("metadata");
        answer.set("spec", spec);
        ObjectNode status = answer.putObject("status");
        boolean forbidden = attributes.isObject() && faults.forbidden(
                new TypeKey(attributes.path("group").asString(""), attributes.path("resource").asString("")));
        status.put("allowed", !forbidden);
        if (forbidden) {
            status.put("reason", "the test cluster forbids " + attributes.path("resource").asString("")
                    + " in API group \"" + attributes.path("group").asString("") + "\"");
        } else {
            status.put("reason", "allowed by the test cluster");
        }
        exchange.json(201, Json.MAPPER.writeValueAsBytes(answer));
    }
}
