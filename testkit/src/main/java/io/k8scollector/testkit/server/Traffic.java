package io.k8scollector.testkit.server;

import io.k8scollector.protocol.Json;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the test cluster has served so far: requests answered and response body bytes written, by
 * kind of request, so that a benchmark can tell what a client cost the API server (a CronJob's full
 * listing against a watcher's bookmarks and restarts). Body bytes are counted as the server writes
 * them, before TLS and the chunked encoding's framing and without the headers; a watch's bytes count
 * as its events go out, not when it ends. The admin API's own requests are counted apart, so that
 * reading these figures does not change them. List requests are also counted by path: the one
 * count behind {@link #lists()} and {@link #of}{@code (LIST)}. Thread-safe.
 */
public final class Traffic {

    /** The kind of a request, as the server routed it. */
    public enum Kind {
        /** {@code /version}, {@code /api}, {@code /apis} and the group and version documents. */
        DISCOVERY,
        /** A list of a type (one page). */
        LIST,
        /** A watch of a type (one stream, however long). */
        WATCH,
        /** A GET of one object. */
        GET,
        /** A {@code SelfSubjectAccessReview}. */
        REVIEW,
        /** Anything else: refused before routing (401), unknown paths, other methods. */
        OTHER,
        /** The admin API under {@code /testkit/}: not the API's traffic, left out of the totals. */
        ADMIN;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Requests answered and response body bytes written. */
    public record Count(long requests, long responseBytes) {

        Count plus(Count other) {
            return new Count(requests + other.requests, responseBytes + other.responseBytes);
        }
    }

    private final Map<Kind, LongAdder> requests = new EnumMap<>(Kind.class);
    private final Map<Kind, LongAdder> bytes = new EnumMap<>(Kind.class);
    private final Map<String, LongAdder> listsByPath = new ConcurrentHashMap<>();

    Traffic() {
        for (Kind kind : Kind.values()) {
            requests.put(kind, new LongAdder());
            bytes.put(kind, new LongAdder());
        }
    }

    /** The count of one kind. */
    public Count of(Kind kind) {
        return new Count(requests.get(kind).sum(), bytes.get(kind).sum());
    }

    /**
     * List requests so far (each page of a collection's GET without {@code watch}, refused ones
     * included), by path without query, in path order; they add up to {@code of(LIST).requests()}.
     */
    public Map<String, Long> lists() {
        return sums(listsByPath);
    }

    /** Each count of {@code adders} as it is now, in key order. */
    static Map<String, Long> sums(Map<String, LongAdder> adders) {
        Map<String, Long> sums = new TreeMap<>();
        adders.forEach((key, count) -> sums.put(key, count.sum()));
        return sums;
    }

    /** Every kind's count but the admin API's: what clients of the API cost. */
    public Count api() {
        Count total = new Count(0, 0);
        for (Kind kind : Kind.values()) {
            if (kind != Kind.ADMIN) {
                total = total.plus(of(kind));
            }
        }
        return total;
    }

    /**
     * The figures as the admin API answers them: {@code {"requests", "responseBytes", "kinds":
     * {"list": {"requests", "responseBytes"}, ...}, "admin": {...}}}, the totals without the admin API.
     */
    byte[] toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        Count api = api();
        root.put("requests", api.requests()).put("responseBytes", api.responseBytes());
        ObjectNode kinds = root.putObject("kinds");
        for (Kind kind : Kind.values()) {
            Count count = of(kind);
            ObjectNode node = kind == Kind.ADMIN ? root.putObject("admin") : kinds.putObject(kind.label());
            node.put("requests", count.requests()).put("responseBytes", count.responseBytes());
        }
        return Json.MAPPER.writeValueAsBytes(root);
    }

    /** Counts a request to {@code path} (without query) as one of {@code kind}. */
    void answered(Kind kind, String path) {
        if (kind == Kind.LIST) {
            listsByPath.computeIfAbsent(path, p -> new LongAdder()).increment();
        }
        requests.get(kind).increment();
    }

    /** {@code out}, counting what is written through it as the kind {@code exchange} has then. */
    OutputStream counting(OutputStream out, Exchange exchange) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                bytes.get(exchange.kind()).increment();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                bytes.get(exchange.kind()).add(len);
            }
        };
    }
}
