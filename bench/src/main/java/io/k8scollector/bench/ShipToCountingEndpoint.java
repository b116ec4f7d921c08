package io.k8scollector.bench;

import io.k8scollector.collector.config.EnvironmentProxySelector;
import io.k8scollector.collector.config.ShippingSettings;
import io.k8scollector.collector.retry.RetryPolicy;
import io.k8scollector.collector.shipping.HttpSink;
import io.k8scollector.collector.shipping.ShippedRecord;
import io.k8scollector.collector.shipping.ShippingStats;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.LoggerFactory;

/**
 * Ships synthetic Pod records (about {@code size} bytes each, realistic shape, unique ids and
 * hashes) through the real {@link HttpSink} to a {@link CountingEndpoint}, then measures the floor:
 * the same records generated again and piped through {@code gzip -1} one after the other. Prints
 * records/s, MB/s before and after compression, the compression ratio, and the JVM's peak RSS.
 *
 * <p>Arguments: {@code [records=100000] [size=3500] [pageSizeKib=500] [maxGoRoutines=4] [gzipLevel=1]}.
 */
public final class ShipToCountingEndpoint {

    private ShipToCountingEndpoint() {}

    public static void main(String[] args) throws Exception {
        int records = arg(args, 0, 100_000);
        int size = arg(args, 1, 3500);
        int pageKib = arg(args, 2, 500);
        int concurrency = arg(args, 3, 4);
        int level = arg(args, 4, 1);
        // per-page debug lines would measure the console, not the sink
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);

        // one unmeasured pass so that the JIT has compiled the hot paths of both measurements
        ship(Math.min(records, 5_000), size, pageKib, concurrency, level);
        floor(Math.min(records, 5_000), size);

        long shipStart = System.nanoTime();
        Result shipped = ship(records, size, pageKib, concurrency, level);
        double shipSeconds = (System.nanoTime() - shipStart) / 1e9;
        long floorStart = System.nanoTime();
        long floorBytes = floor(records, size);
        double floorSeconds = (System.nanoTime() - floorStart) / 1e9;

        ShippingStats stats = shipped.stats();
        System.out.printf("records            %d of about %d bytes (%.1f MB)%n", records, size, stats.bytesBeforeCompression() / 1e6);
        System.out.printf("sink               %.2f s, %.0f records/s, %.1f MB/s before gzip, %.1f MB/s after, ratio %.1f, %d pages, "
                        + "endpoint got %d requests and %.1f MB%n",
                shipSeconds, records / shipSeconds, stats.bytesBeforeCompression() / 1e6 / shipSeconds,
                stats.bytesAfterCompression() / 1e6 / shipSeconds,
                (double) stats.bytesBeforeCompression() / stats.bytesAfterCompression(), stats.pages(),
                shipped.endpointRequests(), shipped.endpointBytes() / 1e6);
        System.out.printf("floor (gzip -%d)    %.2f s, %.0f records/s, %.1f MB/s before gzip (%.1f MB piped)%n",
                1, floorSeconds, records / floorSeconds, floorBytes / 1e6 / floorSeconds, floorBytes / 1e6);
        System.out.printf("sink / floor       %.2f%n", shipSeconds / floorSeconds);
        System.out.printf("peak RSS           %s (max heap %d MB)%n", peakRss(), Runtime.getRuntime().maxMemory() >> 20);
    }

    private record Result(ShippingStats stats, long endpointRequests, long endpointBytes) {}

    private static Result ship(int records, int size, int pageKib, int concurrency, int level) throws IOException {
        try (CountingEndpoint endpoint = new CountingEndpoint()) {
            ShippingSettings settings = new ShippingSettings(endpoint.uri(), endpoint.uri(),
                    new ShippingSettings.Credentials("bench", "bench"), false, pageKib, concurrency, level,
                    RetryPolicy.of(8, Duration.ofSeconds(120)), Optional.empty(), Duration.ofSeconds(10),
                    Duration.ofSeconds(60), EnvironmentProxySelector.from(Map.of()));
            try (HttpSink sink = new HttpSink(settings)) {
                sink.open("bench", new FetchingStart(FetchingId.generate(Instant.now()), "bench-uid", false,
                        new FetchingStart.Collector("bench"), Instant.now()));
                PodRecords pods = new PodRecords(size);
                for (int i = 0; i < records; i++) {
                    sink.accept(pods.next());
                }
                Counts counts = sink.commit(List.of(), Instant.now(), null);
                if (counts.objects() != records) {
                    throw new IllegalStateException("committed " + counts.objects() + " of " + records);
                }
                return new Result(sink.stats(), endpoint.requests(), endpoint.bytes());
            }
        }
    }

    private static long floor(int records, int size) throws IOException, InterruptedException {
        Process gzip = new ProcessBuilder("gzip", "-1", "-c").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long bytes = 0;
        PodRecords pods = new PodRecords(size);
        try (OutputStream in = gzip.getOutputStream()) {
            for (int i = 0; i < records; i++) {
                byte[] record = pods.next().json();
                in.write(record);
                in.write(',');
                bytes += record.length + 1;
            }
        }
        if (gzip.waitFor() != 0) {
            throw new IllegalStateException("gzip -1 failed");
        }
        return bytes;
    }

    private static String peakRss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return "unknown";
        }
        return Files.readAllLines(status).stream().filter(line -> line.startsWith("VmHWM:"))
                .map(line -> line.substring(6).trim()).findFirst().orElse("unknown");
    }

    private static int arg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }

    /** Pod objects as an API server returns them, after redaction: same shape, unique names, uids and hashes. */
    static final class PodRecords {

        private final SplittableRandom random = new SplittableRandom(42);
        private final int size;
        private int n;

        PodRecords(int size) {
            this.size = size;
        }

        /** The next Pod's record, keyed as the run keys it. */
        ShippedRecord next() {
            n++;
            String app = "app-" + (n % 97);
            String name = app + "-" + hex(10);
            String namespace = "ns-" + n % 40;
            String uid = hex(8) + '-' + hex(4) + '-' + hex(4) + '-' + hex(4) + '-' + hex(12);
            StringBuilder json = new StringBuilder(size + 256);
            json.append("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"").append(name)
                    .append("\",\"namespace\":\"").append(namespace).append("\",\"uid\":\"").append(uid)
                    .append("\",\"resourceVersion\":\"").append(1_000_000 + n)
                    .append("\",\"creationTimestamp\":\"2026-11-2").append(n % 8).append("T10:")
                    .append(10 + n % 50).append(":00Z\",\"labels\":{\"app\":\"").append(app)
                    .append("\",\"pod-template-hash\":\"").append(hex(10))
                    .append("\",\"tier\":\"backend\"},\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"")
                    .append(app).append("-").append(hex(10)).append("\",\"uid\":\"").append(hex(32))
                    .append("\",\"controller\":true,\"blockOwnerDeletion\":true}]},\"spec\":{\"containers\":[{\"name\":\"")
                    .append(app).append("\",\"image\":\"registry.example.com/").append(app).append("@sha256:").append(hex(64))
                    .append("\",\"ports\":[{\"containerPort\":8080,\"protocol\":\"TCP\"}],\"env\":[{\"name\":\"LOG_LEVEL\",\"value\":\"info\"},"
                            + "{\"name\":\"DB_PASSWORD\",\"value\":\"sha256:")
                    .append(hex(64))
                    .append("\"}],\"resources\":{\"limits\":{\"cpu\":\"500m\",\"memory\":\"512Mi\"},\"requests\":{\"cpu\":\"100m\",\"memory\":\"128Mi\"}},"
                            + "\"volumeMounts\":[{\"name\":\"kube-api-access-")
                    .append(hex(5))
                    .append("\",\"readOnly\":true,\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\"}],"
                            + "\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\","
                            + "\"imagePullPolicy\":\"IfNotPresent\"}],\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":30,"
                            + "\"dnsPolicy\":\"ClusterFirst\",\"serviceAccountName\":\"default\",\"nodeName\":\"node-")
                    .append(n % 200)
                    .append("\",\"schedulerName\":\"default-scheduler\",\"tolerations\":[{\"key\":\"node.kubernetes.io/not-ready\","
                            + "\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}]},\"status\":{\"phase\":\"Running\","
                            + "\"conditions\":[");
            for (String type : new String[] {"Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
                json.append("{\"type\":\"").append(type).append("\",\"status\":\"True\",\"lastTransitionTime\":\"2026-11-2")
                        .append(n % 8).append("T10:").append(10 + random.nextInt(50)).append(":0").append(random.nextInt(10))
                        .append("Z\"},");
            }
            json.setLength(json.length() - 1);
            json.append("],\"hostIP\":\"10.0.").append(n % 250).append('.').append(random.nextInt(250))
                    .append("\",\"podIP\":\"10.244.").append(random.nextInt(250)).append('.').append(random.nextInt(250))
                    .append("\",\"containerStatuses\":[{\"name\":\"").append(app)
                    .append("\",\"ready\":true,\"restartCount\":").append(random.nextInt(3))
                    .append(",\"image\":\"registry.example.com/").append(app).append("\",\"imageID\":\"registry.example.com/")
                    .append(app).append("@sha256:").append(hex(64)).append("\",\"containerID\":\"containerd://").append(hex(64))
                    .append("\",\"started\":true}],\"qosClass\":\"Burstable\"},\"annotations\":\"");
            while (json.length() < size - 2) {
                json.append("note-").append(random.nextInt(100)).append(' ');
            }
            json.setLength(Math.max(json.length(), size - 2));
            json.append("\"}");
            return ShippedRecord.object("", "v1", "pods", "Pod", uid, namespace, name,
                    json.toString().getBytes(StandardCharsets.UTF_8));
        }

        private String hex(int length) {
            StringBuilder out = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                out.append(Character.forDigit(random.nextInt(16), 16));
            }
            return out.toString();
        }
    }
}
