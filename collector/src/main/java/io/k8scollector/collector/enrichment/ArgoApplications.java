package io.k8scollector.collector.enrichment;

import io.k8scollector.collector.digest.KeyedDigest;
import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.listing.ListingOutcome;
import io.k8scollector.collector.listing.ObjectObserver;
import io.k8scollector.collector.listing.ObjectView;
import io.k8scollector.protocol.HelmRelease.Chart;
import io.k8scollector.protocol.HelmRelease.ResourceRef;
import io.k8scollector.protocol.HelmRelease;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.Skipped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Argo CD Applications ({@code argoproj.io}, kind {@code Application}) whose
 * {@code status.sourceType} is {@code Helm}, {@code Directory} or not set, as release records with
 * source and storage {@code argocd}, read as the objects stream by (before redaction, so that the
 * values digest is of the real values). Any other object is ignored. {@link #observe} is
 * thread-safe.
 */
public final class ArgoApplications implements ObjectObserver {

    /** The {@code source} and {@code storage} of the records made here. */
    public static final String SOURCE = "argocd";

    private static final Set<String> SOURCE_TYPES = Set.of("Helm", "Directory", "");

    private final Map<String, HelmRelease> byApplication = new ConcurrentHashMap<>();
    private final KeyedDigest digest;

    /** Records whose {@code valuesDigest} is keyed by {@code digest} (the redaction key's). */
    public ArgoApplications(KeyedDigest digest) {
        this.digest = digest;
    }

    /** The whole of each Application (its spec and status make the record); nothing of other types. */
    @Override
    public ObjectView view(ResourceType type) {
        return isApplication(type) ? ObjectView.WHOLE : ObjectView.NONE;
    }

    /**
     * A skipped entry for Argo CD's releases when the Applications could not be listed in full, so
     * that the endpoint carries them over instead of taking them as gone.
     */
    public List<Skipped> unread(List<ListingOutcome> listings) {
        return listings.stream()
                .filter(listing -> !listing.complete() && isApplication(listing.type()))
                .map(listing -> Skipped.helmStorage(SOURCE, null, listing.skipReason(),
                        "Argo CD Applications were not read: " + listing.message()))
                .toList();
    }

    /** Whether {@code type} is Argo CD's Application, whose objects make its release records. */
    public static boolean isApplication(ResourceType type) {
        return "argoproj.io".equals(type.group()) && "Application".equals(type.kind());
    }

    /** Maps {@code object} when it is an Application of a Helm chart or a directory; ignores it otherwise. */
    @Override
    public void observe(ObjectNode object) {
        if (!object.path("apiVersion").asString("").startsWith("argoproj.io/")
                || !"Application".equals(object.path("kind").asString(""))) {
            return;
        }
        JsonNode status = object.path("status");
        if (!SOURCE_TYPES.contains(status.path("sourceType").asString(""))) {
            return;
        }
        JsonNode metadata = object.path("metadata");
        JsonNode spec = object.path("spec");
        List<JsonNode> sources = sources(spec);
        JsonNode source = sources.isEmpty() ? Json.MAPPER.missingNode() : sources.get(0);
        JsonNode history = status.path("history");
        JsonNode last = history.path(history.size() - 1);
        HelmRelease release = new HelmRelease(
                metadata.path("name").asString(""),
                metadata.path("namespace").asString(""),
                last.path("id").asInt(0),
                status.path("health").path("status").asString(null),
                new Chart(chartName(source), source.path("targetRevision").asString(null), null),
                HelmReleaseDecoder.instant(history.path(0).path("deployedAt").asString(null)),
                HelmReleaseDecoder.instant(last.path("deployedAt").asString(null)),
                status.path("operationState").path("message").asString(null),
                SOURCE,
                SOURCE,
                valuesDigest(sources),
                resources(status.path("resources")),
                spec.path("destination").path("namespace").asString(null));
        byApplication.put(release.namespace() + "/" + release.name(), release);
    }

    /** One record per Application, sorted by namespace, then name. */
    public List<HelmRelease> releases() {
        return byApplication.values().stream()
                .sorted(Comparator.comparing(HelmRelease::namespace).thenComparing(HelmRelease::name))
                .toList();
    }

    private static List<JsonNode> sources(JsonNode spec) {
        List<JsonNode> sources = new ArrayList<>();
        if (spec.path("source").isObject()) {
            sources.add(spec.get("source"));
        }
        for (JsonNode source : spec.path("sources")) {
            sources.add(source);
        }
        return sources;
    }

    private static String chartName(JsonNode source) {
        String chart = source.path("chart").asString("");
        return chart.isEmpty() ? source.path("path").asString(null) : chart;
    }

    /**
     * The keyed digest of the canonical JSON of the Helm values of every source, in order: for each,
     * an object with those of {@code values}, {@code valuesObject} and {@code parameters} it has;
     * null when no source has any.
     */
    private String valuesDigest(List<JsonNode> sources) {
        ArrayNode all = Json.MAPPER.createArrayNode();
        boolean any = false;
        for (JsonNode source : sources) {
            ObjectNode values = all.addObject();
            for (String field : List.of("values", "valuesObject", "parameters")) {
                JsonNode value = source.path("helm").path(field);
                if (!value.isMissingNode() && !value.isNull()) {
                    values.set(field, value);
                    any = true;
                }
            }
        }
        return any ? digest.ofJson(all) : null;
    }

    private static List<ResourceRef> resources(JsonNode resources) {
        List<ResourceRef> refs = new ArrayList<>();
        for (JsonNode resource : resources) {
            String group = resource.path("group").asString("");
            String version = resource.path("version").asString("");
            String namespace = resource.path("namespace").asString("");
            refs.add(new ResourceRef(
                    group.isEmpty() ? version : group + "/" + version,
                    resource.path("kind").asString(""),
                    resource.path("name").asString(""),
                    namespace.isEmpty() ? null : namespace));
        }
        return refs;
    }
}
