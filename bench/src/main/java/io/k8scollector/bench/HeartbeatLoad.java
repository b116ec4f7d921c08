package io.k8scollector.bench;

import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.Paths;
import io.k8scollector.protocol.RecordKind;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code clusters} continuous collectors, each sending a heartbeat (an empty delta: start on the
 * cluster's current snapshot, commit with zero counts) every second for {@code seconds}, after a
 * full fetching of {@code objects} Pods each (untimed). Prints the heartbeats committed, the
 * latency percentiles of their commits and of whole heartbeats (start and commit), failures,
 * and the generator's CPU. Run by {@code bench/heartbeat-load.sh}.
 *
 * <p>Usage: {@code HeartbeatLoad URL ACCESS_KEY SECRET_KEY [clusters] [seconds] [objects]}
 */
public final class HeartbeatLoad {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String url;
    private final String token;
    private final List<Long> commits = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> heartbeats = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong failures = new AtomicLong();

    private HeartbeatLoad(String url, String token) {
        this.url = url;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int clusters = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 60;
        int objects = args.length > 5 ? Integer.parseInt(args[5]) : 100;
        HeartbeatLoad load = new HeartbeatLoad(url, ReceiverLogin.token(url, args[1], args[2]));
        String[] bases = new String[clusters];
        Random random = new Random(42);
        for (int c = 0; c < clusters; c++) {
            bases[c] = load.full("beat-" + c, objects, random);
        }
        ScheduledExecutorService collectors = Executors.newScheduledThreadPool(Math.min(clusters, 64));
        long cpuBefore = processCpuNanos();
        long started = System.nanoTime();
        for (int c = 0; c < clusters; c++) {
            int cluster = c;
            // Spread over the second, as independent collectors would be.
            collectors.scheduleAtFixedRate(() -> bases[cluster] = load.heartbeat("beat-" + cluster, bases[cluster]),
                    1000L * c / clusters, 1000, TimeUnit.MILLISECONDS);
        }
        collectors.awaitTermination(seconds, TimeUnit.SECONDS);
        collectors.shutdown();
        collectors.awaitTermination(30, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - started) / 1e9;
        double cpu = (processCpuNanos() - cpuBefore) / 1e9;
        List<Long> commitTimes = sorted(load.commits);
        List<Long> beatTimes = sorted(load.heartbeats);
        System.out.printf("clusters=%d seconds=%.1f heartbeats=%d per_s=%.1f failures=%d commit_p50_ms=%.1f"
                        + " commit_p99_ms=%.1f commit_max_ms=%.1f heartbeat_p99_ms=%.1f generator_cpu_s=%.1f%n",
                clusters, elapsed, commitTimes.size(), commitTimes.size() / elapsed, load.failures.get(),
                percentile(commitTimes, 0.50), percentile(commitTimes, 0.99), percentile(commitTimes, 1.0),
                percentile(beatTimes, 0.99), cpu);
    }

    /** A full 1.1 fetching of {@code objects} Pods; its fetchingId. */
    private String full(String cluster, int objects, Random random) throws IOException, InterruptedException {
        String id = FetchingId.generate(Instant.now());
        post(Paths.fetchings(cluster), start(cluster, id, null));
        List<Object> pods = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            pods.add(Pods.pod(cluster, i, random));
        }
        post(Paths.records(cluster, id, RecordKind.OBJECTS), Map.of("objects", pods));
        post(Paths.commit(cluster, id), Map.of("counts", Map.of("objects", objects)));
        return id;
    }

    /** One heartbeat on {@code base}; the new current fetchingId (the base again when it failed). */
    private String heartbeat(String cluster, String base) {
        String id = FetchingId.generate(Instant.now());
        try {
            long started = System.nanoTime();
            post(Paths.fetchings(cluster), start(cluster, id, base));
            long committing = System.nanoTime();
            post(Paths.commit(cluster, id), Map.of("counts", Map.of()));
            long done = System.nanoTime();
            commits.add(done - committing);
            heartbeats.add(done - started);
            return id;
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            return base;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return base;
        }
    }

    private static Map<String, Object> start(String cluster, String id, String base) {
        Map<String, Object> start = new java.util.HashMap<>(Map.of("protocol", FetchingStart.PROTOCOL_1_1, "fetchingId", id,
                "clusterUniqueId", "uid-" + cluster, "startedAt", Instant.now().toString(),
                "collector", Map.of("version", "bench", "mode", "continuous", "heartbeatSeconds", 1)));
        if (base != null) {
            start.put("base", base);
        }
        return start;
    }

    private void post(String path, Object body) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + path))
                .header("Authorization", "Bearer " + token).header("User-Agent", "k8s-collector/bench")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200 && answer.statusCode() != 204) {
            throw new IllegalStateException(path + " answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    private static List<Long> sorted(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted;
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
