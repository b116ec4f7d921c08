package io.k8scollector.collector.run;

import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.enrichment.ObjectIndex;
import io.k8scollector.collector.listing.ItemReader;
import io.k8scollector.collector.listing.ListedObject;
import io.k8scollector.collector.listing.ListingOutcome;
import io.k8scollector.collector.listing.TypeLister;
import io.k8scollector.collector.listing.TypeReading;
import io.k8scollector.collector.watching.ObjectHead;
import io.k8scollector.protocol.Skipped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * How a continuous run lists a type again to compare it with what it shipped (a resync, a
 * {@code 410 Gone}, dropped changes), reading as little as it can from the API server: first the
 * type's metadata only ({@code PartialObjectMetadataList}: about a tenth of a pod's bytes), each
 * object's resourceVersion compared with the one shipped ({@link ObjectIndex#listed}); then the
 * body of each object that is new or changed, alone (a list of its name,
 * {@code fieldSelector=metadata.name=NAME} in its namespace: the {@code list} permission the
 * collector has, no {@code get}). When more than {@value #MAX_SINGLE_READS} objects, or more than a
 * {@value #SINGLE_READS_SHARE_DENOMINATOR}th of the type's, changed, one list of the whole type
 * costs fewer requests than reading them one by one, and bodies it reads anyway: the type is listed
 * in full instead, in a listing round of its own, and only the differences handed on. A type is
 * listed in full at once, as before this class, when many changes are expected (the caller says:
 * changes were dropped, a type is new; a watch that expired lost no more than the history the
 * server keeps, which its metadata tells), when the endpoint holds it as skipped (it
 * is sent whole), and once the server answered its metadata list {@code 406 Not Acceptable} (an
 * old server, an aggregated API that does not serve that form).
 *
 * <p>Every body read goes through the type's {@link TypeReading} (the run's object pipeline:
 * redaction, size limits, keys, exactly as a full run), and every request through the same
 * selection (label selector, namespace scope, ignored namespaces). What the run compares after
 * (the objects shipped but no longer listed are gone) holds either way: each listed object was
 * marked as seen in the round answered. The watch of the type starts from the resourceVersion of
 * the list that marked them; a change after it, to an object read one by one included, comes by
 * that watch. One per run; used from the run's thread.
 */
final class ResyncListing {

    private static final Logger LOG = LoggerFactory.getLogger(ResyncListing.class);
    /** Changed objects past which the type is listed whole rather than read one request each. */
    static final int MAX_SINGLE_READS = 100;
    /** Nor more than this share of the type's objects, as the denominator of a fraction. */
    static final int SINGLE_READS_SHARE_DENOMINATOR = 4;

    private final TypeLister lister;
    private final TypeLister metadata;
    private final Runnable progressed;
    /** The types whose server answered their metadata list 406: listed in full from then on. */
    private final Set<ResourceType> metadataRefused = new HashSet<>();

    /**
     * @param lister the run's lister (its selection, page size, request rate and retrier)
     * @param progressed told of each item read: the API server answers
     */
    ResyncListing(TypeLister lister, Runnable progressed) {
        this.lister = lister;
        this.metadata = lister.metadataOnly();
        this.progressed = progressed;
    }

    /** How listing a type again ended, and the listing round whose marks tell what is gone. */
    record Relisted(ListingOutcome outcome, int round) {}

    /**
     * Lists {@code type} again, handing to {@code reading} each object that differs from what
     * {@code index} holds (every object when {@code whole}), and {@code handedOn} after each.
     *
     * @param metadataFirst whether few changes are expected: the metadata is listed first
     * @param round the listing round the objects listed are marked with
     * @param newRound starts another round, for a listing of the whole type after the metadata's
     */
    Relisted list(ResourceType type, TypeReading reading, ObjectIndex index, boolean whole, boolean metadataFirst,
            int round, IntSupplier newRound, Runnable handedOn) {
        if (whole || !metadataFirst || metadataRefused.contains(type)) {
            return new Relisted(listWhole(type, reading, index, whole, round, handedOn), round);
        }
        Stale stale = new Stale();
        ListingOutcome heads = metadata.list(type, ItemReader.METADATA, item -> {
            progressed.run();
            if (unnamed(item.metadata())) {
                // nothing names it: a full run's pipeline would skip it too
                return;
            }
            ObjectHead head = ObjectHead.of(item.head());
            if (changedSinceShipped(index, head, round)) {
                stale.add(head);
            }
        });
        if (heads.notAcceptable()) {
            metadataRefused.add(type);
            LOG.info("The API server does not serve metadata-only lists of {} ({}): the type is listed again in full.",
                    type.qualifiedName(), heads.message());
        } else if (!heads.complete()) {
            return new Relisted(heads, round);
        }
        if (heads.notAcceptable() || stale.count > MAX_SINGLE_READS
                || (long) stale.count * SINGLE_READS_SHARE_DENOMINATOR > heads.objects()) {
            LOG.debug("{} of {} objects of {} new or changed: listing it in full.", stale.count, heads.objects(),
                    type.qualifiedName());
            // a round of its own: an object marked by the metadata and deleted since is not in the full list
            int again = newRound.getAsInt();
            return new Relisted(listWhole(type, reading, index, false, again, handedOn), again);
        }
        Consumer<ListedObject> fetched = object -> {
            progressed.run();
            reading.consumer().accept(object);
            handedOn.run();
        };
        List<Skipped> refused = new ArrayList<>(heads.refused());
        for (ObjectHead head : stale.heads) {
            ListingOutcome one = lister.listOne(type, head.namespace().isEmpty() ? null : head.namespace(), head.name(),
                    reading.reader(), fetched);
            refused.addAll(one.refused());
            if (!one.complete()) {
                return new Relisted(one, round);
            }
        }
        LOG.debug("Listed the metadata of {} again: {} objects, {} read one by one.", type.qualifiedName(),
                heads.objects(), stale.count);
        return new Relisted(new ListingOutcome(type, heads.objects(), null, null, refused, heads.resourceVersion()),
                round);
    }

    /** Lists the whole type, handing on what differs from {@code index} (all when {@code whole}). */
    private ListingOutcome listWhole(ResourceType type, TypeReading reading, ObjectIndex index, boolean whole,
            int round, Runnable handedOn) {
        return lister.list(type, reading.reader(), listed -> {
            progressed.run();
            if (unnamed(listed.metadata())) {
                reading.consumer().accept(listed);
                return;
            }
            ObjectHead head = ObjectHead.of(listed.head());
            // marked as listed even when whole: what the round did not mark is gone
            if (changedSinceShipped(index, head, round) || whole) {
                reading.consumer().accept(listed);
                handedOn.run();
            }
        });
    }

    /** Whether an object has neither a uid nor a name: nothing can key it. */
    static boolean unnamed(JsonNode metadata) {
        return metadata.path("uid").asString("").isEmpty() && metadata.path("name").asString("").isEmpty();
    }

    /** Marks {@code head} as listed in {@code round}; whether it is new or has another resourceVersion than shipped. */
    private static boolean changedSinceShipped(ObjectIndex index, ObjectHead head, int round) {
        String version = index.listed(head.key(), round);
        return version == null || !version.equals(head.resourceVersion());
    }

    /** The heads of the objects new or changed since shipped, kept only while few enough to read one by one. */
    private static final class Stale {
        final List<ObjectHead> heads = new ArrayList<>();
        int count;

        void add(ObjectHead head) {
            count++;
            if (count <= MAX_SINGLE_READS) {
                heads.add(head);
            } else {
                heads.clear();
            }
        }
    }
}
