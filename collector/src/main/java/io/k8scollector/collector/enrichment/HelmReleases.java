package io.k8scollector.collector.enrichment;

import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.collector.discovery.HelmStorage;
import io.k8scollector.protocol.HelmRelease;
import io.k8scollector.protocol.Skipped;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Helm releases read from Helm 3/4's own storage, as the objects stream by (before redaction):
 * the objects {@link HelmStorage} names; any other object is ignored. Each revision is decoded as a stream (unless its labels show it is older than
 * a deployed revision already read) and only a small summary is kept: at most two per release
 * (its newest revision and its newest deployed one). A payload that does not decode, or that
 * holds more than the decoder's limits allow (it inflates past {@link #MAX_INFLATED_BYTES}, its
 * values or manifest are too large to hold), is logged once, by name and namespace, skipped, and
 * named in {@link #skipped()}. {@link #observe} is thread-safe.
 */
public final class HelmReleases {

    /** The {@code source} of the records made here. */
    public static final String SOURCE = "helm";

    /** The most one release's JSON may hold once inflated: 64 MiB. */
    public static final long MAX_INFLATED_BYTES = 64L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(HelmReleases.class);

    private final Map<String, Candidates> byRelease = new ConcurrentHashMap<>();
    private final Map<String, Skipped> refused = new ConcurrentSkipListMap<>();
    private final HelmReleaseDecoder payloads;

    /**
     * Releases whose {@code valuesDigest} is keyed by {@code digest} (the redaction key's), read
     * within {@link HelmLimits#DEFAULT}.
     */
    public HelmReleases(KeyedDigest digest) {
        this(digest, HelmLimits.DEFAULT);
    }

    HelmReleases(KeyedDigest digest, HelmLimits limits) {
        this.payloads = new HelmReleaseDecoder(digest, limits);
    }

    /** Reads {@code object} when it stores a Helm release revision; ignores it otherwise. */
    public void observe(ObjectNode object) {
        String storage = HelmStorage.storageOf(object);
        if (storage == null) {
            return;
        }
        JsonNode metadata = object.path("metadata");
        String objectName = metadata.path("name").asString("");
        String objectNamespace = metadata.path("namespace").asString("");
        JsonNode labels = metadata.path("labels");
        if (outdated(objectNamespace + "/" + labels.path("name").asString(""), labels.path("version").asString(""))) {
            return;
        }
        JsonNode payload = object.path("data").path("release");
        try {
            if (!payload.isString()) {
                throw new IOException("no data.release");
            }
            HelmRevision read = payloads.read(payload.stringValue(), HelmStorage.SECRET.equals(storage));
            HelmRevision revision = named(read, labels.path("name").asString(objectName), objectNamespace);
            byRelease.merge(
                    revision.namespace() + "/" + revision.name(),
                    Candidates.of(revision, storage),
                    Candidates::merge);
        } catch (TooLarge e) {
            // the message names the limit only, never the payload
            LOG.warn("Helm release storage {} {}/{} is over the collector's limits ({}); skipped", storage,
                    objectNamespace, objectName, e.getMessage());
            refuse(objectNamespace, labels.path("name").asString(objectName), Skipped.Reason.TOO_LARGE,
                    "Helm release storage " + storage + " " + objectNamespace + "/" + objectName
                            + " is over the collector's limits (" + e.getMessage() + ").");
        } catch (IOException | JacksonException | IllegalArgumentException e) {
            // the exception's message may quote the payload: name only its type
            LOG.warn("Helm release storage {} {}/{} could not be decoded ({}); skipped",
                    storage, objectNamespace, objectName, e.getClass().getSimpleName());
            refuse(objectNamespace, labels.path("name").asString(objectName), Skipped.Reason.UNPARSEABLE,
                    "Helm release storage " + storage + " " + objectNamespace + "/" + objectName
                            + " could not be decoded (" + e.getClass().getSimpleName() + ").");
        }
    }

    /**
     * The releases a stored revision of which was skipped, one entry per release (the first
     * skipped revision's), sorted by namespace and name: a skipped {@code record} each.
     */
    public List<Skipped> skipped() {
        return List.copyOf(refused.values());
    }

    private void refuse(String namespace, String release, Skipped.Reason reason, String message) {
        String name = namespace + "/" + release;
        refused.putIfAbsent(name, Skipped.record(Skipped.HELM_RELEASE, name, reason, message));
    }

    /**
     * One record per release (namespace and name): its newest deployed revision, else its newest
     * revision with that revision's status; sorted by namespace, then name.
     */
    public List<HelmRelease> releases() {
        return byRelease.values().stream()
                .map(Candidates::release)
                .sorted(Comparator.comparing(HelmRelease::namespace).thenComparing(HelmRelease::name))
                .toList();
    }

    /**
     * Whether Helm's labels on the storage object say it holds a revision older than a deployed
     * one already read: it can never be the release's record, so it is not decoded at all.
     * Revisions are listed in name order ({@code v1}, {@code v10}, {@code v2}...), so with a long
     * history most superseded ones are skipped.
     */
    private boolean outdated(String release, String labelledVersion) {
        Candidates known = byRelease.get(release);
        if (known == null || known.newestDeployed() == null || labelledVersion.isEmpty()) {
            return false;
        }
        try {
            return Integer.parseInt(labelledVersion) < known.newestDeployed().revision().version();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Fills a name or namespace the payload lacks from the object that stores it. */
    private static HelmRevision named(HelmRevision revision, String name, String namespace) {
        if (revision.name() != null && revision.namespace() != null) {
            return revision;
        }
        return new HelmRevision(
                revision.name() != null ? revision.name() : name,
                revision.namespace() != null ? revision.namespace() : namespace,
                revision.version(), revision.status(), revision.chart(), revision.firstDeployed(),
                revision.lastDeployed(), revision.description(), revision.valuesDigest(), revision.resources());
    }

    /** The newest revision of a release and its newest deployed one, with where each is stored. */
    private record Candidates(Stored newest, Stored newestDeployed) {

        static Candidates of(HelmRevision revision, String storage) {
            Stored stored = new Stored(revision, storage);
            return new Candidates(stored, revision.deployed() ? stored : null);
        }

        Candidates merge(Candidates other) {
            return new Candidates(Stored.newer(newest, other.newest), Stored.newer(newestDeployed, other.newestDeployed));
        }

        HelmRelease release() {
            Stored chosen = newestDeployed != null ? newestDeployed : newest;
            return chosen.revision().toRelease(chosen.storage());
        }
    }

    private record Stored(HelmRevision revision, String storage) {

        static Stored newer(Stored a, Stored b) {
            if (a == null || b == null) {
                return a == null ? b : a;
            }
            return a.revision().version() >= b.revision().version() ? a : b;
        }
    }
}
