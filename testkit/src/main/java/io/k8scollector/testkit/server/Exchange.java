package io.k8scollector.testkit.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One request and its answer, with the query decoded and JSON answers written in one place; the
 * answer's body bytes are counted in the server's {@link Traffic} under the kind the handler gives it.
 */
final class Exchange {

    private final HttpExchange http;
    private final String path;
    private final Map<String, String> query;
    private final Traffic traffic;
    private Traffic.Kind kind = Traffic.Kind.OTHER;
    private boolean counted;

    Exchange(HttpExchange http, Traffic traffic) {
        this.http = http;
        // Decoded once: the handlers and the traffic count read the path several times a request.
        this.path = http.getRequestURI().getPath();
        this.query = parseQuery(http.getRequestURI().getRawQuery());
        this.traffic = traffic;
    }

    /** Counts this request as one of {@code kind}, once: the first kind given is the one counted. */
    void kind(Traffic.Kind routed) {
        if (!counted) {
            kind = routed;
            counted = true;
            traffic.answered(routed, path());
        }
    }

    /** The kind this request counts as: {@link Traffic.Kind#OTHER} until the handler says. */
    Traffic.Kind kind() {
        return kind;
    }

    String method() {
        return http.getRequestMethod();
    }

    String path() {
        return path;
    }

    /** A query parameter, or null. */
    String param(String name) {
        return query.get(name);
    }

    String header(String name) {
        return http.getRequestHeaders().getFirst(name);
    }

    byte[] body() throws IOException {
        return http.getRequestBody().readAllBytes();
    }

    void json(int code, byte[] body) throws IOException {
        startAnswer(code, body.length);
        try (OutputStream out = responseBody()) {
            out.write(body);
        }
    }

    void status(Status status) throws IOException {
        if (status.retryAfterSeconds() >= 0) {
            http.getResponseHeaders().set("Retry-After", Integer.toString(status.retryAfterSeconds()));
        }
        json(status.code(), status.toJson());
    }

    void noContent() throws IOException {
        readRequestToTheEnd();
        http.sendResponseHeaders(204, -1);
        http.close();
    }

    /** Starts a JSON answer of {@code length} bytes; the caller writes exactly that many and closes. */
    OutputStream streamJson(long length) throws IOException {
        startAnswer(200, length);
        return new BufferedOutputStream(responseBody(), 1 << 16);
    }

    /**
     * Starts a chunked JSON answer of unknown length, as a watch streams its events; each flush of the
     * returned stream sends what was written so far.
     */
    OutputStream streamChunked() throws IOException {
        startAnswer(200, 0);
        return new BufferedOutputStream(responseBody(), 1 << 16);
    }

    private OutputStream responseBody() {
        return traffic.counting(http.getResponseBody(), this);
    }

    private void startAnswer(int code, long length) throws IOException {
        readRequestToTheEnd();
        http.getResponseHeaders().set("Content-Type", "application/json");
        http.getResponseHeaders().set("Cache-Control", "no-cache, private");
        http.sendResponseHeaders(code, length);
    }

    /**
     * Reads what is left of the request body (nothing, when the handler read it), so that no answer
     * leaves before the whole request has arrived. An answer sent early (a refusal that never reads
     * the body) can reach a client still sending the body on the same keep-alive connection; the
     * JDK's HTTP client may then reuse that connection while the server still drains the old body,
     * and its next request goes unanswered until the server's idle timeout closes the connection.
     */
    private void readRequestToTheEnd() throws IOException {
        http.getRequestBody().transferTo(OutputStream.nullOutputStream());
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }
}
