package io.k8scollector.collector.enrichment;

import io.k8scollector.collector.config.CollectorConfig.Selection;
import io.k8scollector.collector.discovery.HelmStorage;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.listing.ConcurrentLister;
import io.k8scollector.collector.listing.ItemReader;
import io.k8scollector.collector.listing.ListingOutcome;
import io.k8scollector.collector.listing.ObjectObserver;
import io.k8scollector.collector.listing.ObjectView;
import io.k8scollector.collector.listing.TypeReading;
import io.k8scollector.protocol.Skipped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads Helm's release storage ({@link HelmStorage}) for {@link HelmReleases}, whether or not
 * Secrets and ConfigMaps are collected and whatever {@code collector.labelSelector} says. The main
 * pass lends it the storage types it lists anyway, whole, when no label selector narrows them;
 * {@link #readRest} then lists again, by Helm's own label, only the storage the main pass did not
 * read in full, and sends nothing of it as objects. One per run.
 */
public final class HelmStorageReading implements ObjectObserver {

    private static final Logger LOG = LoggerFactory.getLogger(HelmStorageReading.class);

    private final HelmReleases releases;
    private final List<ResourceType> storage;
    private final Set<ResourceType> inMainPass;
    private final Selection selection;

    /**
     * @param storage the Helm storage types the API server serves and lets list
     * @param selected the types the main pass lists
     * @param selection the main pass's selection
     */
    public HelmStorageReading(HelmReleases releases, List<ResourceType> storage, List<ResourceType> selected,
            Selection selection) {
        this.releases = releases;
        this.storage = List.copyOf(storage);
        this.selection = selection;
        this.inMainPass = selection.labelSelector() == null
                ? Set.copyOf(storage.stream().filter(selected::contains).toList())
                : Set.of();
    }

    /** The whole of the storage types the main pass reads unfiltered; nothing of the others. */
    @Override
    public ObjectView view(ResourceType type) {
        return inMainPass.contains(type) ? ObjectView.WHOLE : ObjectView.NONE;
    }

    @Override
    public void observe(ObjectNode object) {
        releases.observe(object);
    }

    /**
     * Lists the storage the main pass did not read in full, by {@value HelmStorage#SELECTOR} only
     * (the namespace settings still apply), with a listing {@code listings} makes for that selection.
     *
     * @param mainPass the main pass's outcomes
     * @return a skipped entry for each storage that could not be read, so that the endpoint
     *     carries its releases over instead of taking them as uninstalled
     */
    public List<Skipped> readRest(List<ListingOutcome> mainPass, Function<Selection, ConcurrentLister> listings) {
        Set<ResourceType> readInFull = new HashSet<>();
        for (ListingOutcome listing : mainPass) {
            if (listing.complete() && inMainPass.contains(listing.type())) {
                readInFull.add(listing.type());
            }
        }
        List<ResourceType> rest = storage.stream().filter(type -> !readInFull.contains(type)).toList();
        Selection helmOnly = new Selection(selection.resources(), selection.toggles(), selection.excludes(),
                selection.watchNamespace(), selection.ignoreNamespaces(), HelmStorage.SELECTOR);
        // the tree reader keeps every object whole: the payload is in data.release
        TypeReading reading = new TypeReading(ItemReader.TREE, listed -> releases.observe(listed.head()));
        List<Skipped> unread = new ArrayList<>();
        for (ListingOutcome listing : listings.apply(helmOnly).listAll(rest, type -> reading)) {
            if (!listing.complete()) {
                String where = listing.type().qualifiedName();
                LOG.warn("Helm releases stored in {} were not read: {}", where, listing.message());
                unread.add(Skipped.helmStorage(HelmReleases.SOURCE, HelmStorage.storageOf(listing.type()),
                        listing.skipReason(), "Helm releases stored in " + where + " were not read: " + listing.message()));
            }
        }
        return unread;
    }
}
