package io.k8scollector.bench;

import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.LoginRequest;
import io.k8scollector.protocol.LoginResponse;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Sends {@code clusters} snapshots of {@code objects} generated Pods each, concurrently (one
 * sender per cluster, like one collector per cluster), to a receiver, as gzip pages of about
 * {@code pageKib} KiB, and prints objects/s and request latency percentiles. Pods are made while
 * sending, so the generator's own cost is part of the figure.
 *
 * <p>Usage: {@code ReceiverLoad URL ACCESS_KEY SECRET_KEY [clusters] [objects] [pageKib] [seed]}
 */
public final class ReceiverLoad {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String url;
    private final String token;
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());

    private ReceiverLoad(String url, String token) {
        this.url = url;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int clusters = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int objects = args.length > 4 ? Integer.parseInt(args[4]) : 10_000;
        int pageKib = args.length > 5 ? Integer.parseInt(args[5]) : 500;
        long seed = args.length > 6 ? Long.parseLong(args[6]) : 42;
        HttpClient login = HttpClient.newHttpClient();
        HttpResponse<String> answer = login.send(HttpRequest.newBuilder(URI.create(url + Paths.LOGIN))
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(new LoginRequest(args[1], args[2]))))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("Login failed with " + answer.statusCode() + ": " + answer.body());
        }
        ReceiverLoad load = new ReceiverLoad(url, Json.MAPPER.readValue(answer.body(), LoginResponse.class).accessToken());
        long started = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(clusters);
        List<Future<Long>> runs = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            String cluster = "load-" + c;
            Random random = new Random(seed + c);
            runs.add(senders.submit(() -> load.snapshot(cluster, objects, pageKib << 10, random)));
        }
        long bytes = 0;
        for (Future<Long> run : runs) {
            bytes += run.get();
        }
        senders.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Long> sorted = new ArrayList<>(load.latencies);
        Collections.sort(sorted);
        System.out.printf("clusters=%d objects=%d total_objects=%d seconds=%.1f objects_per_s=%.0f requests=%d"
                        + " gzip_mb=%.1f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f%n",
                clusters, objects, (long) clusters * objects, seconds, clusters * (double) objects / seconds,
                sorted.size(), bytes / 1e6, percentile(sorted, 0.50), percentile(sorted, 0.99),
                sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }

    /** One fetching: start, pages of Pods, commit. Returns the gzip bytes sent. */
    private long snapshot(String cluster, int objects, int pageBytes, Random random) throws Exception {
        String fetchingId = FetchingId.generate(Instant.now());
        send(Paths.fetchings(cluster), Json.MAPPER.writeValueAsBytes(Map.of("fetchingId", fetchingId,
                "clusterUniqueId", "uid-" + cluster, "startedAt", Instant.now().toString())));
        long sent = 0;
        ByteArrayOutputStream page = new ByteArrayOutputStream(pageBytes + (64 << 10));
        for (int i = 0; i < objects; i++) {
            page.write(page.size() == 0 ? '[' : ',');
            page.writeBytes(Json.MAPPER.writeValueAsBytes(Pods.pod(cluster, i, random)));
            if (page.size() >= pageBytes || i == objects - 1) {
                sent += send(Paths.records(cluster, fetchingId, RecordKind.OBJECTS), objectsPage(page));
                page.reset();
            }
        }
        send(Paths.commit(cluster, fetchingId),
                Json.MAPPER.writeValueAsBytes(Map.of("counts", Map.of("objects", objects))));
        return sent;
    }

    private static byte[] objectsPage(ByteArrayOutputStream array) throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream(array.size() + 16);
        json.writeBytes("{\"objects\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        array.writeTo(json);
        json.write(']');
        json.write('}');
        return json.toByteArray();
    }

    /** POSTs {@code body} gzipped at level 1, as the collector does; returns the bytes sent. */
    private long send(String path, byte[] body) throws IOException, InterruptedException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream(body.length / 3);
        try (GZIPOutputStream out = new GZIPOutputStream(gz, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            out.write(body);
        }
        byte[] compressed = gz.toByteArray();
        long started = System.nanoTime();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + path))
                .header("Authorization", "Bearer " + token).header("Content-Encoding", "gzip")
                .header("User-Agent", "k8s-collector/bench")
                .POST(HttpRequest.BodyPublishers.ofByteArray(compressed)).build(), HttpResponse.BodyHandlers.ofString());
        latencies.add(System.nanoTime() - started);
        if (answer.statusCode() != 204) {
            throw new IllegalStateException(path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return compressed.length;
    }
}
