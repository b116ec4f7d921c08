package io.k8scollector.testkit.server;

import io.k8scollector.protocol.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@code kind: Status} error body, as the real server answers every failure.
 *
 * @param code the HTTP status
 * @param reason the machine-readable reason ({@code NotFound}, {@code Forbidden}, {@code Expired})
 * @param message the sentence clients show
 * @param resource the resource the failure concerns, or null
 * @param group the group of that resource, or null
 * @param name the object's name, or null
 * @param retryAfterSeconds the seconds of {@code Retry-After}, or -1 for none
 */
record Status(int code, String reason, String message, String resource, String group, String name,
        int retryAfterSeconds) {

    static Status of(int code, String reason, String message) {
        return new Status(code, reason, message, null, null, null, -1);
    }

    static Status reasonFor(int code, String message) {
        String reason = switch (code) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 406 -> "NotAcceptable";
            case 409 -> "Conflict";
            case 410 -> "Expired";
            case 429 -> "TooManyRequests";
            case 500 -> "InternalError";
            case 503 -> "ServiceUnavailable";
            case 504 -> "Timeout";
            default -> "";
        };
        return of(code, reason, message);
    }

    Status about(String resourceName, String groupName, String objectName) {
        return new Status(code, reason, message, resourceName, groupName, objectName, retryAfterSeconds);
    }

    Status retryAfter(int seconds) {
        return new Status(code, reason, message, resource, group, name, seconds);
    }

    byte[] toJson() {
        ObjectNode status = Json.MAPPER.createObjectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", message);
        if (!reason.isEmpty()) {
            status.put("reason", reason);
        }
        if (resource != null || retryAfterSeconds > 0) {
            ObjectNode details = status.putObject("details");
            if (name != null) {
                details.put("name", name);
            }
            if (group != null && !group.isEmpty()) {
                details.put("group", group);
            }
            if (resource != null) {
                details.put("kind", resource);
            }
            if (retryAfterSeconds > 0) {
                details.put("retryAfterSeconds", retryAfterSeconds);
            }
        }
        status.put("code", code);
        return Json.MAPPER.writeValueAsBytes(status);
    }
}
