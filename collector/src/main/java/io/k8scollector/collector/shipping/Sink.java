package io.k8scollector.collector.shipping;

import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where a snapshot's records go: the ingest endpoint ({@code HttpSink}) or standard output for a
 * dry-run ({@code DryRunSink}). Records arrive already redacted, serialised and keyed, grouped by kind in
 * {@link RecordKind} order (all objects, then Helm releases, types and trees). {@link #accept} is
 * safe to call from several threads and may block while the pages in flight are at their limit,
 * which is what keeps the collector's memory flat.
 */
public interface Sink extends AutoCloseable {

    /** Opens the snapshot: login and start a fetching, or write the document's opening. */
    void open(String clusterId, FetchingStart start);

    /**
     * Takes one record. The commit counts distinct records by their {@link ShippedRecord#key()},
     * so a record handed over twice counts once. The sink may keep the record's bytes until they
     * are sent; the caller must not change them.
     */
    void accept(ShippedRecord record);

    /**
     * Sends what is still buffered, then commits the snapshot with {@code skipped} plus what the
     * sink itself had to leave out (a single record still refused with 413), and {@code report}.
     *
     * @return the counts committed
     * @throws io.k8scollector.collector.CollectorException when the snapshot could not be committed
     */
    Counts commit(List<Skipped> skipped, Instant finishedAt, Commit.Report report);

    /**
     * Tells the endpoint, once and best effort, that the run failed with {@code failure} after its
     * fetching was started (protocol 1.1); does nothing when no fetching was started. Takes at
     * most {@link #ABORT_BUDGET} and never throws: the run fails the same either way.
     */
    void abort(RuntimeException failure, Instant finishedAt);

    /** The longest {@link #abort} may take: it must not hold the failed run's exit up. */
    Duration ABORT_BUDGET = Duration.ofSeconds(10);

    /** What the sink did: pages, bytes before and after compression, retries by cause. */
    ShippingStats stats();

    @Override
    void close();
}
