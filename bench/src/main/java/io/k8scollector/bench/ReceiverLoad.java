package io.k8scollector.bench;

import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
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
 * {@code pageKib} KiB, and prints objects/s and request latency percentiles. Every cluster's
 * Pods are distinct (own uids, names and random values), made, serialised and gzipped into pages
 * before the clock starts ({@code prepare_s}, using every core), so the timed part costs the
 * generator only the sending, as a collector's shipping stage would; the receiver still parses,
 * hashes and stores every object. With {@code warmupObjects}, the same number of other clusters
 * first send that many other Pods each, untimed, so that the timed part sees a receiver whose
 * hot code is compiled, as in a server that has been running (the JIT compiles in the warm-up).
 *
 * <p>Usage: {@code ReceiverLoad URL ACCESS_KEY SECRET_KEY [clusters] [objects] [pageKib] [seed] [warmupObjects]}
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
        int warmupObjects = args.length > 7 ? Integer.parseInt(args[7]) : 0;
        ReceiverLoad load = new ReceiverLoad(url, ReceiverLogin.token(url, args[1], args[2]));
        long preparing = System.nanoTime();
        List<List<byte[]>> warmup = prepare("warmup-", clusters, warmupObjects, pageKib, seed + clusters);
        List<List<byte[]>> pages = prepare("load-", clusters, objects, pageKib, seed);
        long bytes = pages.stream().flatMap(List::stream).mapToLong(page -> page.length).sum();
        double prepared = (System.nanoTime() - preparing) / 1e9;
        if (warmupObjects > 0) {
            load.sendAll("warmup-", warmupObjects, warmup);
            load.latencies.clear();
        }
        long cpuBefore = processCpuNanos();
        long started = System.nanoTime();
        load.sendAll("load-", objects, pages);
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = (processCpuNanos() - cpuBefore) / 1e9;
        List<Long> sorted = new ArrayList<>(load.latencies);
        Collections.sort(sorted);
        System.out.printf("clusters=%d objects=%d warmup_objects=%d total_objects=%d prepare_s=%.1f seconds=%.1f"
                        + " objects_per_s=%.0f requests=%d gzip_mb=%.1f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f generator_cpu_s=%.1f%n",
                clusters, objects, warmupObjects, (long) clusters * objects, prepared, seconds,
                clusters * (double) objects / seconds,
                sorted.size(), bytes / 1e6, percentile(sorted, 0.50), percentile(sorted, 0.99),
                sorted.get(sorted.size() - 1) / 1e6, cpu);
    }

    /** The CPU this process has used, all threads: the generator's own share of the two cores. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * The gzipped pages of {@code clusters} clusters named {@code prefix} and a number, made on
     * every core; cluster {@code c}'s Pods come from seed {@code seed + c}.
     */
    private static List<List<byte[]>> prepare(String prefix, int clusters, int objects, int pageKib, long seed)
            throws Exception {
        if (objects == 0) {
            return List.of();
        }
        ExecutorService makers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        List<Future<List<byte[]>>> made = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            String cluster = prefix + c;
            Random random = new Random(seed + c);
            made.add(makers.submit(() -> pages(cluster, objects, pageKib << 10, random)));
        }
        List<List<byte[]>> pages = new ArrayList<>();
        for (Future<List<byte[]>> cluster : made) {
            pages.add(cluster.get());
        }
        makers.shutdown();
        return pages;
    }

    /** Sends every cluster's snapshot at once, one sender per cluster, and waits for them all. */
    private void sendAll(String prefix, int objects, List<List<byte[]>> pages) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(pages.size());
        List<Future<?>> runs = new ArrayList<>();
        for (int c = 0; c < pages.size(); c++) {
            String cluster = prefix + c;
            List<byte[]> clusterPages = pages.get(c);
            runs.add(senders.submit(() -> snapshot(cluster, objects, clusterPages)));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        senders.shutdown();
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }

    /** The gzipped {@code objects} pages of {@code cluster}'s Pods, each about {@code pageBytes} inflated. */
    private static List<byte[]> pages(String cluster, int objects, int pageBytes, Random random) throws IOException {
        List<byte[]> pages = new ArrayList<>();
        ByteArrayOutputStream page = new ByteArrayOutputStream(pageBytes + (64 << 10));
        for (int i = 0; i < objects; i++) {
            page.write(page.size() == 0 ? '[' : ',');
            page.writeBytes(Json.MAPPER.writeValueAsBytes(Pods.pod(cluster, i, random)));
            if (page.size() >= pageBytes || i == objects - 1) {
                pages.add(gzip(objectsPage(page)));
                page.reset();
            }
        }
        return pages;
    }

    /** One fetching: start, the pages, commit. */
    private Void snapshot(String cluster, int objects, List<byte[]> pages) throws Exception {
        String fetchingId = FetchingId.generate(Instant.now());
        send(Paths.fetchings(cluster), gzip(Json.MAPPER.writeValueAsBytes(Map.of("fetchingId", fetchingId,
                "clusterUniqueId", "uid-" + cluster, "startedAt", Instant.now().toString()))));
        for (byte[] page : pages) {
            send(Paths.records(cluster, fetchingId, RecordKind.OBJECTS), page);
        }
        send(Paths.commit(cluster, fetchingId),
                gzip(Json.MAPPER.writeValueAsBytes(Map.of("counts", Map.of("objects", objects)))));
        return null;
    }

    private static byte[] objectsPage(ByteArrayOutputStream array) throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream(array.size() + 16);
        json.writeBytes("{\"objects\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        array.writeTo(json);
        json.write(']');
        json.write('}');
        return json.toByteArray();
    }

    /** {@code body} gzipped at level 1, as the collector sends it. */
    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream(body.length / 3);
        try (GZIPOutputStream out = new GZIPOutputStream(gz, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            out.write(body);
        }
        return gz.toByteArray();
    }

    /** POSTs an already gzipped {@code body} and records the request's latency. */
    private void send(String path, byte[] compressed) throws IOException, InterruptedException {
        long started = System.nanoTime();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + path))
                .header("Authorization", "Bearer " + token).header("Content-Encoding", "gzip")
                .header("User-Agent", "k8s-collector/bench")
                .POST(HttpRequest.BodyPublishers.ofByteArray(compressed)).build(), HttpResponse.BodyHandlers.ofString());
        latencies.add(System.nanoTime() - started);
        if (answer.statusCode() != 204) {
            throw new IllegalStateException(path + " answered " + answer.statusCode() + ": " + answer.body());
        }
    }
}
