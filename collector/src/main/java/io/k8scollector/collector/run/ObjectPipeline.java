package io.k8scollector.collector.run;

import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.listing.ItemReader;
import io.k8scollector.collector.listing.ListedObject;
import io.k8scollector.collector.listing.ObjectObserver;
import io.k8scollector.collector.listing.ObjectView;
import io.k8scollector.collector.listing.TypeReading;
import io.k8scollector.collector.redaction.Redactor;
import io.k8scollector.collector.shipping.ShippedRecord;
import io.k8scollector.collector.shipping.Sink;
import io.k8scollector.protocol.Json;
import io.k8scollector.protocol.Skipped;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One listed object's way to the sink, on the listing thread that parsed it: observe (enrichment)
 * > redact > serialise > size check > key > sink. It alone chooses how each type is read: every
 * stage says what it needs of the type's objects ({@link ObjectView}); when none needs more than
 * the head, redaction's copying reader writes the redacted record as it reads and keeps only the
 * head ({@link ListedObject.Copied}), else the whole object is read as a tree
 * ({@link ListedObject.Whole}), observed, then redacted in place and serialised. Observers see
 * each object before redaction (Helm's payloads are still there), and only objects of the types
 * they asked for. One per run; thread-safe.
 */
public final class ObjectPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectPipeline.class);

    private final Redactor redactor;
    private final List<ObjectObserver> observers;
    private final int maxItemSizeKb;
    private final Consumer<ShippedRecord> sink;
    private final Queue<Skipped> skipped = new ConcurrentLinkedQueue<>();

    /** Objects redacted by {@code redactor}, watched by {@code observers}, sent to {@code sink} unless over {@code maxItemSizeKb}. */
    public ObjectPipeline(Redactor redactor, List<ObjectObserver> observers, int maxItemSizeKb, Sink sink) {
        this(redactor, observers, maxItemSizeKb, sink::accept);
    }

    /**
     * Objects redacted by {@code redactor}, watched by {@code observers}, handed to {@code sink}
     * unless over {@code maxItemSizeKb}: the continuous run's watched objects, which wait for the
     * next delta rather than go to a sink at once.
     */
    public ObjectPipeline(Redactor redactor, List<ObjectObserver> observers, int maxItemSizeKb,
            Consumer<ShippedRecord> sink) {
        this.redactor = redactor;
        this.observers = List.copyOf(observers);
        this.maxItemSizeKb = maxItemSizeKb;
        this.sink = sink;
    }

    /** How the objects of {@code type} are read and where they go; asked once per type. */
    public TypeReading reading(ResourceType type) {
        List<ObjectObserver> watching = observers.stream()
                .filter(observer -> observer.view(type) != ObjectView.NONE)
                .toList();
        boolean whole = redactor.view(type) == ObjectView.WHOLE
                || watching.stream().anyMatch(observer -> observer.view(type) == ObjectView.WHOLE);
        ItemReader reader = whole ? ItemReader.TREE : redactor.copy();
        return new TypeReading(reader, listed -> accept(type, watching, listed));
    }

    /** The objects left out so far (each over {@code collector.maxItemSizeKb}, or without a name). */
    public List<Skipped> skipped() {
        return List.copyOf(skipped);
    }

    private void accept(ResourceType type, List<ObjectObserver> watching, ListedObject listed) {
        ObjectNode head = listed.head();
        for (ObjectObserver observer : watching) {
            observer.observe(head);
        }
        byte[] json;
        if (listed instanceof ListedObject.Copied copied) {
            json = copied.record();
        } else {
            redactor.redact(type, head);
            json = Json.MAPPER.writeValueAsBytes(head);
        }
        JsonNode metadata = head.path("metadata");
        String namespace = metadata.path("namespace").asString(null);
        String name = metadata.path("name").asString(null);
        if (json.length > maxItemSizeKb * 1024L) {
            LOG.warn("Skipping {} {}/{}: {} KiB is over collector.maxItemSizeKb ({}).",
                    type.qualifiedName(), namespace, name, json.length / 1024, maxItemSizeKb);
            skipped.add(Skipped.object(type.group(), type.version(), type.resource(), namespace, name,
                    Skipped.Reason.TOO_LARGE, json.length / 1024 + " KiB is over collector.maxItemSizeKb ("
                            + maxItemSizeKb + ")."));
            return;
        }
        String uid = metadata.path("uid").asString(null);
        if ((uid == null || uid.isEmpty()) && (name == null || name.isEmpty())) {
            LOG.warn("Skipping an object of {} without metadata.uid or metadata.name: nothing could name it.",
                    type.qualifiedName());
            skipped.add(Skipped.object(type.group(), type.version(), type.resource(), namespace, name,
                    Skipped.Reason.UNPARSEABLE, "it has neither metadata.uid nor metadata.name."));
            return;
        }
        sink.accept(ShippedRecord.object(type.group(), type.version(), type.resource(), type.kind(), uid, namespace,
                name, json));
    }
}
