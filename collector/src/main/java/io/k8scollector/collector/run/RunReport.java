package io.k8scollector.collector.run;

import io.k8scollector.collector.discovery.Catalog;
import io.k8scollector.collector.listing.ListingOutcome;
import io.k8scollector.collector.shipping.ShippingStats;
import io.k8scollector.protocol.Counts;
import io.k8scollector.protocol.Skipped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;

/**
 * What one run did: the types listed with their object counts, everything skipped and why, what
 * was committed, and how long it took.
 *
 * @param listings one entry per type selected for listing, skipped or not
 * @param skipped every group, type and object left out, as committed
 * @param treesCut nodes left out of ownership trees cut at their deepest level
 * @param notes what else a person should know of this run (Helm storage unread, a random redaction key)
 * @param catalog what discovery found: the types served and selected
 */
public record RunReport(
        String fetchingId,
        String clusterUniqueId,
        List<ListingOutcome> listings,
        List<Skipped> skipped,
        Counts counts,
        Duration duration,
        ShippingStats shipping,
        long treesCut,
        List<String> notes,
        Catalog catalog) {

    public RunReport {
        listings = List.copyOf(listings);
        skipped = List.copyOf(skipped);
        notes = List.copyOf(notes);
    }

    /**
     * The summary as one structured log line, for log collectors: counts, bytes, retries, the
     * objects of each type and the skipped entries as key-value pairs of the JSON line.
     */
    public void log(Logger log) {
        Map<String, Long> objectsByType = new LinkedHashMap<>();
        listings.forEach(listing -> objectsByType.put(listing.type().qualifiedName(), listing.objects()));
        log.atInfo()
                .addKeyValue("objects", counts.objects())
                .addKeyValue("helmReleases", counts.helmReleases())
                .addKeyValue("types", counts.types())
                .addKeyValue("trees", counts.trees())
                .addKeyValue("pages", shipping.pages())
                .addKeyValue("bytesBeforeCompression", shipping.bytesBeforeCompression())
                .addKeyValue("bytesAfterCompression", shipping.bytesAfterCompression())
                .addKeyValue("retries", shipping.retriesByCause())
                .addKeyValue("objectsByType", objectsByType)
                .addKeyValue("treesCut", treesCut)
                .addKeyValue("skipped", skipped.stream().map(entry -> entry.subject() + " " + entry.reason() + ": "
                        + entry.message()).toList())
                .addKeyValue("durationMs", duration.toMillis())
                .log("Run {} finished in {} ms: {} objects, {} Helm releases, {} types, {} trees, {} skipped.",
                        fetchingId, duration.toMillis(), counts.objects(), counts.helmReleases(), counts.types(),
                        counts.trees(), skipped.size());
    }

    /** The run summary written to stderr: a few lines for people, not a log. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        List<ListingOutcome> listed = listings.stream().filter(ListingOutcome::complete).toList();
        text.append(String.format(Locale.ROOT, "Run %s: %d objects of %d types in %.1f s (cluster unique id %s).%n",
                fetchingId, counts.objects(), listed.size(), duration.toMillis() / 1000.0, clusterUniqueId));
        text.append(String.format(Locale.ROOT, "Records: %d objects, %d Helm releases, %d types, %d trees; %s.%n",
                counts.objects(), counts.helmReleases(), counts.types(), counts.trees(), shipping.describe()));
        text.append("Types listed:\n");
        for (ListingOutcome listing : listed) {
            text.append(String.format(Locale.ROOT, "  %-55s %8d%n", listing.type().qualifiedName(), listing.objects()));
        }
        text.append(skipped.isEmpty() ? "Nothing skipped.\n" : "Skipped:\n");
        for (Skipped entry : skipped) {
            text.append("  ").append(entry.subject()).append(' ').append(entry.reason()).append(": ").append(entry.message()).append('\n');
        }
        for (String note : notes) {
            text.append("Note: ").append(note).append('\n');
        }
        return text.toString();
    }
}
