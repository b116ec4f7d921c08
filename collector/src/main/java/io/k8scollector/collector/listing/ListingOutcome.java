package io.k8scollector.collector.listing;

import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.protocol.Skipped;
import java.util.List;
import java.util.Optional;

/**
 * How listing one type ended.
 *
 * @param objects objects emitted
 * @param skipReason why the type was left out (forbidden, not found, failed), or null when listed
 * @param message what happened, naming the type and the URL; null when listed
 * @param refused the objects left out alone because the parser refused them ({@code unparseable})
 * @param resourceVersion the list's {@code metadata.resourceVersion} (its first page's: the
 *     snapshot every page is of), where a watch of the type starts; null when skipped or the
 *     server said none
 * @param notAcceptable the server answered {@code 406 Not Acceptable}: it does not serve the form
 *     asked for (a metadata-only list of an old server)
 */
public record ListingOutcome(
        ResourceType type, long objects, Skipped.Reason skipReason, String message, List<Skipped> refused,
        String resourceVersion, boolean notAcceptable) {

    public ListingOutcome {
        refused = List.copyOf(refused);
    }

    /** An outcome whose request was not refused as not acceptable. */
    public ListingOutcome(ResourceType type, long objects, Skipped.Reason skipReason, String message,
            List<Skipped> refused, String resourceVersion) {
        this(type, objects, skipReason, message, refused, resourceVersion, false);
    }

    /** Whether the type was listed completely. */
    public boolean complete() {
        return skipReason == null;
    }

    /** The skipped entry for the commit, when the type was left out. */
    public Optional<Skipped> skipped() {
        return complete()
                ? Optional.empty()
                : Optional.of(Skipped.type(type.group(), type.version(), type.resource(), skipReason, message));
    }
}
