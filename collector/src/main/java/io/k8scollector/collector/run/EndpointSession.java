package io.k8scollector.collector.run;

import io.k8scollector.collector.CollectorException;
import io.k8scollector.collector.config.CollectorConfig;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.shipping.BaseMismatch;
import io.k8scollector.collector.shipping.HttpSink;
import io.k8scollector.collector.shipping.ShippingException;
import io.k8scollector.collector.tracking.PendingChanges;
import io.k8scollector.collector.watching.ObjectHead;
import io.k8scollector.protocol.Commit;
import io.k8scollector.protocol.CompleteType;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.FetchingId;
import io.k8scollector.protocol.FetchingStart;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.protocol.Skipped;
import io.k8scollector.protocol.StartAnswer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A continuous run's session with the endpoint (protocol 1.1): the base each delta builds on (the
 * last fetching committed), a delta left open when the endpoint could not be reached (aborted,
 * best effort, before the next start), a delta whose commit went without an answer (the base once
 * a {@code base_mismatch} names it current), and whether the endpoint speaks 1.0 (a full
 * fetching's start answered {@code 204}: checked at each start, said once). Used from the run's
 * thread.
 */
final class EndpointSession {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointSession.class);

    private final CollectorConfig config;
    private final HttpSink sink;
    private final Clock clock;
    private String base;
    private String clusterUniqueId;
    /** The delta the endpoint could not be reached for, still open there; aborted before the next start. */
    private String leftOpen;
    /** The delta whose commit was sent without an answer: if the endpoint made it current, it is the base. */
    private String committing;
    private boolean protocol10;
    private boolean saidProtocol10;

    EndpointSession(CollectorConfig config, HttpSink sink, Clock clock) {
        this.config = config;
        this.sink = sink;
        this.clock = clock;
    }

    /** A delta committed: its fetching id, what the endpoint counted, and each object's head and type. */
    record Committed(String fetchingId, Counts counts, List<ObjectHead> heads, List<ResourceType> types) {}

    /** The fetching the next delta builds on. */
    String base() {
        return base;
    }

    /** Whether the last full fetching's start said the endpoint speaks 1.0: no delta is sent to it. */
    boolean protocol10() {
        return protocol10;
    }

    /** A full fetching starts: no delta's commit is awaited any more. */
    void fullStarting() {
        committing = null;
    }

    /** A full fetching committed as {@code fetchingId}: the base from now on; the endpoint's version is read again. */
    void fullCommitted(String fetchingId, String uniqueId, Duration fullFetchingMin) {
        base = fetchingId;
        clusterUniqueId = uniqueId;
        protocol10 = sink.startAnswer().isEmpty();
        if (protocol10 && !saidProtocol10) {
            LOG.warn("The endpoint speaks protocol 1.0: changes are shipped as full fetchings, at most one every {} s.",
                    fullFetchingMin.toSeconds());
            saidProtocol10 = true;
        } else if (!protocol10) {
            saidProtocol10 = false;
        }
    }

    /**
     * The endpoint answered {@code base_mismatch}: when it names the delta whose commit answer was
     * lost, that delta is the base and the run goes on; else a full fetching must follow.
     *
     * @return whether the run goes on with deltas
     */
    boolean baseMismatch(BaseMismatch e) {
        if (committing != null && committing.equals(e.current())) {
            LOG.info("Delta {} was committed though its answer was lost: going on from it.", committing);
            base = committing;
            committing = null;
            return true;
        }
        LOG.info("The endpoint's current snapshot is {}, not {}: sending a full fetching.", e.current(), base);
        return false;
    }

    /** Aborts, best effort, the delta left open when the endpoint could not be reached. */
    void abortLeftOpen() {
        if (leftOpen != null) {
            sink.abort(new ShippingException("POST", "/fetchings/" + leftOpen, 0, "delta " + leftOpen
                    + " could not reach the endpoint; its changes go in a later fetching"), clock.instant());
            leftOpen = null;
        }
    }

    /**
     * One delta on {@link #base()}: start, the batch's records (named by {@code types}) and
     * deletions, commit with {@code skipped} (the complete list when it changed, else null) over
     * {@code held}; it becomes the base. When the endpoint cannot be reached the fetching is left
     * open, to be aborted before the next start, and the exception thrown.
     *
     * @param events the watch events seen since the last delta, for its report (read once)
     * @return null when the endpoint did not take it as a delta (1.0, or declined): a full fetching follows
     */
    Committed send(PendingChanges.Batch batch, WatchedTypes types, List<CompleteType> complete, List<Skipped> skipped,
            List<Skipped> held, LongSupplier events) {
        abortLeftOpen();
        Instant started = clock.instant();
        String fetchingId = FetchingId.generate(started);
        List<ObjectHead> heads = new ArrayList<>();
        List<ResourceType> headTypes = new ArrayList<>();
        Counts counts;
        try {
            sink.open(config.clusterId(), new FetchingStart(FetchingStart.PROTOCOL_1_1, fetchingId, base,
                    clusterUniqueId, config.shipping().overrideUniqueClusterId(), CollectionRun.collector(config),
                    started));
            StartAnswer answer = sink.startAnswer().orElse(null);
            if (answer == null || !answer.isDelta()) {
                LOG.warn("The endpoint took delta {} as a full fetching ({}); sending a full fetching instead.",
                        fetchingId, answer == null ? "protocol 1.0" : "declined");
                sink.abort(new CollectorException("delta " + fetchingId + " was not taken as a delta"), clock.instant());
                return null;
            }
            for (PendingChanges.Change change : batch.upserts()) {
                if (change.key().kind() == RecordKind.OBJECTS) {
                    JsonNode object = Json.MAPPER.readTree(change.record());
                    heads.add(ObjectHead.of(object));
                    headTypes.add(types.of(object));
                    sink.accept(types.record(change, object));
                } else {
                    sink.accept(types.record(change, null));
                }
            }
            for (PendingChanges.Change change : batch.deletions()) {
                sink.delete(change.deletion());
            }
            Commit.Report report = new Commit.Report(Duration.between(started, clock.instant()).toMillis(), 0L,
                    events.getAsLong(), null, null, null, config.redaction().keyId(), null);
            committing = fetchingId;
            counts = sink.commitDelta(skipped, held, complete, clock.instant(), report);
            committing = null;
        } catch (RuntimeException e) {
            sink.abandon();
            leftOpen = fetchingId;
            throw e;
        }
        base = fetchingId;
        leftOpen = null;
        return new Committed(fetchingId, counts, heads, headTypes);
    }

    /** The delta left open, or null. */
    String leftOpen() {
        return leftOpen;
    }
}
