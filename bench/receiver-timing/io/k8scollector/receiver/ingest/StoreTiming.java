package io.k8scollector.receiver.ingest;

import io.k8scollector.bench.Pods;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.store.Database;
import io.k8scollector.receiver.store.RecordRow;
import io.k8scollector.receiver.store.Retention;
import io.k8scollector.receiver.store.Snapshots;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pages of 145 generated Pods, parsed first, then written through {@code Snapshots.add} into one
 * fetching on one thread (the first tenth untimed); prints the wall time, this thread's CPU and
 * the CPU of every PostgreSQL process per object. Run by {@code bench/receiver-timing.sh store}.
 */
public class StoreTiming {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int pages = Integer.parseInt(args[1]);
        List<List<RecordRow>> parsed = new ArrayList<>();
        Random random = new Random(7);
        for (int p = 0; p < pages; p++) {
            ObjectNode page = Json.MAPPER.createObjectNode();
            ArrayNode objects = page.putArray("objects");
            for (int i = 0; i < 145; i++) objects.add(Pods.pod("c" + p, i, random));
            byte[] bytes = Json.MAPPER.writeValueAsBytes(page);
            try (JsonParser parser = Json.MAPPER.createParser(bytes)) {
                parsed.add(PageParser.parse(parser, bytes, RecordKind.OBJECTS));
            }
        }
        try (Database db = Database.open(url)) {
            Snapshots snapshots = new Snapshots(db, new Retention(20, Duration.ofHours(168)), Duration.ofMinutes(15), 4);
            String f = FetchingId.generate(Instant.now());
            snapshots.start("timing", new FetchingStart(f, "u", false, null, null), Instant.now());
            // First tenth untimed: JIT and connections.
            int warm = pages / 10;
            for (int p = 0; p < warm; p++) snapshots.add("timing", f, parsed.get(p), Instant.now());
            long pg = postgresTicks();
            long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long t = System.nanoTime();
            for (int p = warm; p < pages; p++) snapshots.add("timing", f, parsed.get(p), Instant.now());
            double n = (pages - warm) * 145.0;
            System.out.printf("objects=%.0f wall_us_per_object=%.1f writer_thread_us_per_object=%.1f postgres_us_per_object=%.1f%n",
                    n, (System.nanoTime() - t) / 1e3 / n,
                    (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu) / 1e3 / n,
                    (postgresTicks() - pg) * 10_000.0 / n);
        }
    }

    /** utime + stime of every postgres process, in 10 ms ticks. */
    static long postgresTicks() throws Exception {
        long sum = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                if (!d.getFileName().toString().chars().allMatch(Character::isDigit)) continue;
                try {
                    if (!Files.readString(d.resolve("comm")).trim().equals("postgres")) continue;
                    String stat = Files.readString(d.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (Exception e) {
                    // gone
                }
            }
        }
        return sum;
    }
}
