package io.k8scollector.testkit.ingest;

import io.k8scollector.protocol.RecordKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One committed snapshot of one cluster, as the test endpoint holds it: every record by its
 * {@link io.k8scollector.protocol.RecordKey} value, per kind, and the skipped entries that made
 * it. Made from a full fetching (with the previous snapshot's records of what it skipped carried
 * over) or from a delta on its base (protocol 1.1). Immutable once made.
 */
public final class ClusterSnapshot {

    private final String fetchingId;
    private final Map<RecordKind, Map<String, JsonNode>> records;
    private final List<JsonNode> skipped;

    private ClusterSnapshot(String fetchingId, Map<RecordKind, Map<String, JsonNode>> records, List<JsonNode> skipped) {
        this.fetchingId = fetchingId;
        this.records = records;
        this.skipped = List.copyOf(skipped);
    }

    /** The fetching whose commit made this snapshot. */
    public String fetchingId() {
        return fetchingId;
    }

    /** The records of {@code kind}, by key value. */
    public Map<String, JsonNode> records(RecordKind kind) {
        return Map.copyOf(records.get(kind));
    }

    /** The skipped entries in force. */
    public List<JsonNode> skipped() {
        return skipped;
    }

    /**
     * A full fetching's snapshot: what it sent, plus, from {@code previous} (null when none), the
     * objects of the types it skipped and the objects it skipped one by one.
     */
    static ClusterSnapshot full(String fetchingId, Map<RecordKind, Map<String, JsonNode>> sent, List<JsonNode> skipped,
            ClusterSnapshot previous) {
        Map<RecordKind, Map<String, JsonNode>> records = copy(sent);
        if (previous != null) {
            previous.records.get(RecordKind.OBJECTS).forEach((key, object) -> {
                if (skips(skipped, object, previous)) {
                    records.get(RecordKind.OBJECTS).putIfAbsent(key, object);
                }
            });
        }
        return new ClusterSnapshot(fetchingId, records, skipped);
    }

    /**
     * The snapshot of a delta on this one: the base's records less those of {@code completeTypes}
     * that the delta did not send (objects it skips one by one kept), with the delta's records
     * and deletions applied; {@code skipped} null keeps the base's.
     */
    ClusterSnapshot delta(String deltaId, Map<RecordKind, Map<String, JsonNode>> sent, Set<String> deletions,
            List<JsonNode> completeTypes, List<JsonNode> deltaSkipped) {
        Map<RecordKind, Map<String, JsonNode>> next = copy(records);
        List<JsonNode> nowSkipped = deltaSkipped == null ? skipped : deltaSkipped;
        for (JsonNode complete : completeTypes) {
            String recordKind = complete.path("recordKind").asString("object");
            if (recordKind.equals(RecordKind.OBJECTS.recordKind())) {
                String group = complete.path("group").asString("");
                String kind = complete.path("kind").asString("");
                next.get(RecordKind.OBJECTS).values().removeIf(object -> group(object).equals(group)
                        && object.path("kind").asString("").equals(kind) && !skippedAlone(nowSkipped, object));
            } else {
                next.get(RecordKind.fromRecordKind(recordKind)).clear();
            }
        }
        sent.forEach((kind, byKey) -> next.get(kind).putAll(byKey));
        for (String key : deletions) {
            next.values().forEach(byKey -> byKey.remove(key));
        }
        return new ClusterSnapshot(deltaId, next, nowSkipped);
    }

    static Map<RecordKind, Map<String, JsonNode>> empty() {
        Map<RecordKind, Map<String, JsonNode>> records = new HashMap<>();
        for (RecordKind kind : RecordKind.values()) {
            records.put(kind, new LinkedHashMap<>());
        }
        return records;
    }

    private static Map<RecordKind, Map<String, JsonNode>> copy(Map<RecordKind, Map<String, JsonNode>> from) {
        Map<RecordKind, Map<String, JsonNode>> records = empty();
        from.forEach((kind, byKey) -> records.get(kind).putAll(byKey));
        return records;
    }

    /** Whether a full fetching's {@code skipped} carries {@code object} over from {@code previous}. */
    private static boolean skips(List<JsonNode> skipped, JsonNode object, ClusterSnapshot previous) {
        Set<String> skippedTypes = new HashSet<>();
        for (JsonNode entry : skipped) {
            if (entry.path("kind").asString("").equals("type")) {
                skippedTypes.add(entry.path("group").asString("") + "/" + entry.path("resource").asString(""));
            }
        }
        for (JsonNode type : previous.records.get(RecordKind.TYPES).values()) {
            if (type.path("group").asString("").equals(group(object))
                    && type.path("kind").asString("").equals(object.path("kind").asString(""))
                    && skippedTypes.contains(type.path("group").asString("") + "/" + type.path("resource").asString(""))) {
                return true;
            }
        }
        return skippedAlone(skipped, object);
    }

    private static boolean skippedAlone(List<JsonNode> skipped, JsonNode object) {
        JsonNode metadata = object.path("metadata");
        for (JsonNode entry : skipped) {
            if (entry.path("kind").asString("").equals("object")
                    && entry.path("group").asString("").equals(group(object))
                    && entry.path("namespace").asString("").equals(metadata.path("namespace").asString(""))
                    && entry.path("name").asString("").equals(metadata.path("name").asString(""))) {
                return true;
            }
        }
        return false;
    }

    private static String group(JsonNode object) {
        String apiVersion = object.path("apiVersion").asString("");
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** Every key of this snapshot of {@code kind}, for comparisons in tests. */
    public Set<String> keys(RecordKind kind) {
        return Set.copyOf(records.get(kind).keySet());
    }

    @Override
    public String toString() {
        List<String> sizes = new ArrayList<>();
        records.forEach((kind, byKey) -> sizes.add(kind.field() + "=" + byKey.size()));
        return "ClusterSnapshot[" + fetchingId + ", " + sizes + "]";
    }
}
