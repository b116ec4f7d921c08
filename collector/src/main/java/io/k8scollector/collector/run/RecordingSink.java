package io.k8scollector.collector.run;

import io.k8scollector.collector.shipping.HttpSink;
import io.k8scollector.collector.shipping.ShippedRecord;
import io.k8scollector.collector.shipping.ShippingStats;
import io.k8scollector.collector.shipping.Sink;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.RecordKey;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A continuous run's full fetching's sink, which keeps a digest of each Helm release and type
 * record it ships (what a resync and a changed CustomResourceDefinition compare with) and of each
 * tree, by its root's uid (what a changed tree is told from), so that the trees are built once.
 * Thread-safe: the full fetching's lister threads ship through it.
 */
final class RecordingSink implements Sink {
    private final HttpSink sink;
    private final Map<RecordKey, Long> records;
    private final Map<String, Long> trees;

    RecordingSink(HttpSink sink, Map<RecordKey, Long> records, Map<String, Long> trees) {
        this.sink = sink;
        this.records = records;
        this.trees = trees;
    }

    @Override
    public void open(String clusterId, FetchingStart start) {
        sink.open(clusterId, start);
    }

    @Override
    public void accept(ShippedRecord record) {
        if (record.kind() == RecordKind.HELM_RELEASES || record.kind() == RecordKind.TYPES) {
            synchronized (records) {
                records.put(record.key(), RecordDigest.of(record.json()));
            }
        } else if (record.kind() == RecordKind.TREES) {
            synchronized (trees) {
                trees.put(record.key().value(), RecordDigest.of(record.json()));
            }
        }
        sink.accept(record);
    }

    @Override
    public Counts commit(List<Skipped> skipped, Instant finishedAt, Commit.Report report) {
        return sink.commit(skipped, finishedAt, report);
    }

    @Override
    public void abort(RuntimeException failure, Instant finishedAt) {
        sink.abort(failure, finishedAt);
    }

    @Override
    public ShippingStats stats() {
        return sink.stats();
    }

    /** The sink outlives the full fetching: the run closes it. */
    @Override
    public void close() {}
}
