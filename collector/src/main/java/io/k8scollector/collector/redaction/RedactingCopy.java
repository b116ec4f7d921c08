package io.k8scollector.collector.redaction;

import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.listing.ItemReader;
import io.k8scollector.collector.listing.ListedObject;
import io.k8scollector.protocol.Json;
import java.io.ByteArrayOutputStream;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Redacts an object of a built-in type while copying it from the list response to its record, so
 * that no tree of the whole object is built (building one per object and serialising it again
 * allocated about half as much again, and the collector's young generation is small). Everything
 * is copied token by token except what a step redacts (annotations, the templates' and the
 * {@code volumeClaimTemplates}' among them, are filtered by name and their values redacted as
 * they pass; each container's {@code env}, {@code command}, {@code args},
 * probes and {@code lifecycle} are read as small trees, redacted as {@link ContainerValues}
 * redacts them in the tree steps, and written back) and what
 * the head keeps ({@code metadata} but its annotations, for enrichment and the lister's
 * bookkeeping). Gives the same record as the tree steps for every type whose steps it
 * {@link #performs}.
 */
final class RedactingCopy implements ItemReader {

    /** A Pod is about 4 KB; the buffer grows for larger objects. */
    private static final int INITIAL_RECORD_BYTES = 16 * 1024;
    /** A buffer grown past this for a large object is not kept for the next one. */
    private static final int KEPT_RECORD_BYTES = 256 * 1024;

    /**
     * Each listing thread writes its records into a buffer of its own, reused from object to
     * object: a fresh buffer per object was a third of what the copy allocates.
     */
    private final ThreadLocal<ByteArrayOutputStream> buffers =
            ThreadLocal.withInitial(() -> new ByteArrayOutputStream(INITIAL_RECORD_BYTES));

    private final Annotations annotations;
    private final ContainerValues containers;
    /** Kept, so that copying a list of containers makes no new object. */
    private final PropertyCopy containerProperty = this::copyContainerProperty;
    private final PropertyCopy claimTemplateProperty = this::copyClaimTemplateProperty;

    RedactingCopy(Annotations annotations, ContainerValues containers) {
        this.annotations = annotations;
        this.containers = containers;
    }

    /**
     * Whether the copy does {@code step}'s work as it copies: the annotations and the containers
     * of built-in pod templates; every other step needs the whole tree.
     */
    boolean performs(RedactionStep step) {
        return step == annotations || step instanceof PodTemplateContainers;
    }

    @Override
    public ListedObject read(ResourceType type, JsonParser parser) {
        JsonPointer podSpec = PodTemplateContainers.podSpec(type);
        ObjectNode head = Json.MAPPER.createObjectNode()
                .put("apiVersion", type.apiVersion())
                .put("kind", type.kind());
        ByteArrayOutputStream record = buffers.get();
        record.reset();
        try (JsonGenerator generator = Json.MAPPER.createGenerator(record)) {
            generator.writeStartObject();
            generator.writeStringProperty("apiVersion", type.apiVersion());
            generator.writeStringProperty("kind", type.kind());
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "apiVersion", "kind" -> parser.skipChildren();
                    case "metadata" -> {
                        generator.writeName(name);
                        head.set("metadata", copyMetadata(parser, generator));
                    }
                    default -> {
                        generator.writeName(name);
                        copy(parser, generator, podSpec != null && podSpec.matchesProperty(name) ? podSpec.tail() : null);
                    }
                }
            }
            generator.writeEndObject();
        }
        byte[] bytes = record.toByteArray();
        if (bytes.length > KEPT_RECORD_BYTES) {
            buffers.remove();
        }
        return new ListedObject.Copied(head, bytes);
    }

    /**
     * Copies the value at the parser's current token; {@code podSpec} is where the pod spec sits
     * below it (empty: this value is the pod spec), or null when it holds none.
     */
    private void copy(JsonParser parser, JsonGenerator generator, JsonPointer podSpec) {
        if (podSpec == null || parser.currentToken() != JsonToken.START_OBJECT) {
            generator.copyCurrentStructure(parser);
            return;
        }
        generator.writeStartObject();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            generator.writeName(name);
            if (podSpec.matches()) {
                if (value == JsonToken.START_ARRAY && ContainerValues.isContainerList(name)) {
                    copyObjects(parser, generator, containerProperty);
                } else {
                    generator.copyCurrentStructure(parser);
                }
            } else if (name.equals("metadata") && value == JsonToken.START_OBJECT) {
                copyTemplateMetadata(parser, generator);
            } else if (name.equals(PodTemplateContainers.CLAIM_TEMPLATES) && value == JsonToken.START_ARRAY) {
                copyObjects(parser, generator, claimTemplateProperty);
            } else {
                copy(parser, generator, podSpec.matchesProperty(name) ? podSpec.tail() : null);
            }
        }
        generator.writeEndObject();
    }

    /**
     * Copies {@code metadata} without {@code managedFields} and without the removed annotations;
     * answers what the head keeps of it: all of it but the annotations.
     */
    private ObjectNode copyMetadata(JsonParser parser, JsonGenerator generator) {
        ObjectNode kept = Json.MAPPER.createObjectNode();
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            generator.copyCurrentStructure(parser);
            return kept;
        }
        generator.writeStartObject();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "managedFields" -> parser.skipChildren();
                case "annotations" -> {
                    generator.writeName(name);
                    copyAnnotations(parser, generator);
                }
                default -> {
                    JsonNode value = parser.readValueAsTree();
                    kept.set(name, value);
                    generator.writeName(name);
                    generator.writeTree(value);
                }
            }
        }
        generator.writeEndObject();
        return kept;
    }

    /** Copies the metadata of a template on the way to the pod spec, redacting its annotations. */
    private void copyTemplateMetadata(JsonParser parser, JsonGenerator generator) {
        generator.writeStartObject();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            generator.writeName(name);
            if (name.equals("annotations")) {
                copyAnnotations(parser, generator);
            } else {
                generator.copyCurrentStructure(parser);
            }
        }
        generator.writeEndObject();
    }

    /** A property of a claim template: the annotations of its {@code metadata} are redacted. */
    private void copyClaimTemplateProperty(String name, JsonParser parser, JsonGenerator generator) {
        if (name.equals("metadata") && parser.currentToken() == JsonToken.START_OBJECT) {
            copyTemplateMetadata(parser, generator);
        } else {
            generator.copyCurrentStructure(parser);
        }
    }

    private void copyAnnotations(JsonParser parser, JsonGenerator generator) {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            generator.copyCurrentStructure(parser);
            return;
        }
        generator.writeStartObject();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if (annotations.removes(name)) {
                parser.skipChildren();
            } else if (parser.currentToken() == JsonToken.VALUE_STRING) {
                generator.writeStringProperty(name, annotations.redact(parser.getString()));
            } else {
                generator.writeName(name);
                generator.copyCurrentStructure(parser);
            }
        }
        generator.writeEndObject();
    }

    /**
     * A property of a container: the fields that can hold sensitive values ({@code env},
     * {@code command}, {@code args}, the probes and {@code lifecycle}) are redacted, and only those
     * small sub-trees are read as trees.
     */
    private void copyContainerProperty(String name, JsonParser parser, JsonGenerator generator) {
        if (ContainerValues.holdsValues(name)) {
            generator.writeTree(containers.redactField(name, parser.readValueAsTree()));
        } else {
            generator.copyCurrentStructure(parser);
        }
    }

    /** Copies a list of objects (containers, claim templates), each property by {@code property}. */
    private static void copyObjects(JsonParser parser, JsonGenerator generator, PropertyCopy property) {
        generator.writeStartArray();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                generator.copyCurrentStructure(parser);
                continue;
            }
            generator.writeStartObject();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                generator.writeName(name);
                property.copy(name, parser, generator);
            }
            generator.writeEndObject();
        }
        generator.writeEndArray();
    }

    /** Copies the value of one property, its name written, at the parser's current token. */
    @FunctionalInterface
    private interface PropertyCopy {
        void copy(String name, JsonParser parser, JsonGenerator generator);
    }
}
