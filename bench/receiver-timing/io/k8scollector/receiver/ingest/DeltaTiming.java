package io.k8scollector.receiver.ingest;

import io.k8scollector.bench.Pods;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.Deletion;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.store.Database;
import io.k8scollector.receiver.store.RecordRow;
import io.k8scollector.receiver.store.Retention;
import io.k8scollector.receiver.store.Snapshots;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a snapshot costs on the temporal schema, through the store's own API (no HTTP): a
 * cluster of {@code objects} generated Pods is sent as a full fetching, then again unchanged,
 * then {@code deltas} deltas of {@code changes} changes each (a third changed, a third new, a
 * third deleted). Prints, per step, the wall time of its commit and the rows it wrote: versions
 * opened and closed, bodies, staged rows and page lists (written by its pages, dropped at its
 * commit) and its fetching row. Run by {@code bench/receiver-timing.sh delta OBJECTS}.
 */
public class DeltaTiming {

    private static final String CLUSTER = "timing";
    private static final int PAGE = 145;

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int objects = Integer.parseInt(args[1]);
        int changes = Integer.parseInt(args[2]);
        int deltas = Integer.parseInt(args[3]);
        Random random = new Random(7);
        List<ObjectNode> pods = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            pods.add(Pods.pod(CLUSTER, i, random));
        }
        try (Database db = Database.open(url)) {
            Snapshots store = new Snapshots(db, new Retention(1000, Duration.ofHours(168)), Duration.ofMinutes(15), 4);
            step(db, store, "full_first", null, pods, List.of());
            String current = step(db, store, "full_unchanged", null, pods, List.of());
            int next = objects;
            for (int d = 0; d < deltas; d++) {
                List<ObjectNode> sent = new ArrayList<>();
                List<Deletion> deleted = new ArrayList<>();
                for (int k = 0; k < changes; k++) {
                    // Distinct within a delta: a key both sent and deleted in one delta is refused.
                    int i = (int) ((d * (long) changes + k) * 7919 % objects);
                    switch (k % 3) {
                        case 0 -> {
                            ObjectNode changed = pods.get(i).deepCopy();
                            ((ObjectNode) changed.get("metadata").get("labels")).put("bench", "d" + d + "-" + k);
                            sent.add(changed);
                        }
                        case 1 -> sent.add(Pods.pod(CLUSTER, next++, random));
                        default -> {
                            ObjectNode gone = pods.get(i);
                            deleted.add(Deletion.object(gone.get("metadata").get("uid").asString(), "v1", "Pod",
                                    gone.get("metadata").get("namespace").asString(),
                                    gone.get("metadata").get("name").asString()));
                        }
                    }
                }
                current = step(db, store, "delta_" + changes, current, sent, deleted);
            }
            step(db, store, "heartbeat", current, List.of(), List.of());
        }
    }

    /** One fetching (full when {@code base} is null); prints its commit's time and the rows it wrote. */
    private static String step(Database db, Snapshots store, String name, String base, List<ObjectNode> sent,
            List<Deletion> deleted) throws Exception {
        String id = FetchingId.generate(Instant.now());
        Instant now = Instant.now();
        store.start(CLUSTER, new FetchingStart(FetchingStart.PROTOCOL_1_1, id, base, "u", false, null, now), now);
        long bodies = count(db, "SELECT COUNT(*) FROM bodies WHERE cluster_id = ?", CLUSTER);
        long pagesStarted = System.nanoTime();
        for (int from = 0; from < sent.size(); from += PAGE) {
            store.add(CLUSTER, id, parse(sent.subList(from, Math.min(sent.size(), from + PAGE))), Instant.now());
        }
        if (!deleted.isEmpty()) {
            store.delete(CLUSTER, id, deleted, Instant.now());
        }
        long pagesNanos = System.nanoTime() - pagesStarted;
        long seq = count(db, "SELECT seq FROM fetchings WHERE cluster_id = ? AND fetching_id = ?", CLUSTER, id);
        long staged = count(db, "SELECT COUNT(*) FROM staged WHERE cluster_id = ? AND fetching = ?", CLUSTER, seq)
                + count(db, "SELECT COUNT(*) FROM staged_seen WHERE cluster_id = ? AND fetching = ?", CLUSTER, seq)
                + count(db, "SELECT COUNT(*) FROM staged_deletions WHERE cluster_id = ? AND fetching = ?", CLUSTER, seq);
        long started = System.nanoTime();
        store.commit(CLUSTER, id, new Commit(new Counts(sent.size(), 0, 0, 0, deleted.size()), Instant.now(),
                base == null ? List.of() : null, null, null), Instant.now());
        long commitNanos = System.nanoTime() - started;
        long opened = count(db, "SELECT COUNT(*) FROM versions WHERE cluster_id = ? AND valid_from = ?", CLUSTER, seq);
        long closed = count(db, "SELECT COUNT(*) FROM versions WHERE cluster_id = ? AND valid_to = ?", CLUSTER, seq);
        long newBodies = count(db, "SELECT COUNT(*) FROM bodies WHERE cluster_id = ?", CLUSTER) - bodies;
        System.out.printf("%s pages_ms=%.1f commit_ms=%.2f rows_written=%d versions_opened=%d versions_closed=%d"
                + " bodies=%d staged=%d fetching=1%n", name, pagesNanos / 1e6, commitNanos / 1e6,
                opened + closed + newBodies + staged + 1, opened, closed, newBodies, staged);
        return id;
    }

    private static List<RecordRow> parse(List<ObjectNode> objects) {
        ObjectNode page = Json.MAPPER.createObjectNode();
        ArrayNode array = page.putArray("objects");
        objects.forEach(array::add);
        byte[] bytes = Json.MAPPER.writeValueAsBytes(page);
        try (JsonParser parser = Json.MAPPER.createParser(bytes)) {
            return PageParser.parse(parser, bytes, RecordKind.OBJECTS);
        }
    }

    private static long count(Database db, String sql, Object... args) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
