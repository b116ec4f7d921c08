package io.k8scollector.collector.redaction;

import io.k8scollector.collector.discovery.ResourceType;
import io.k8scollector.collector.listing.ItemReader;
import io.k8scollector.collector.listing.ItemSource;
import io.k8scollector.collector.listing.ListedObject;
import io.k8scollector.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.JsonToken;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Redacts an object of a built-in type while copying it from the list response to its record, so
 * that no tree of the whole object is built (building one per object and serialising it again
 * allocated about half as much again, and the collector's young generation is small). Everything
 * is copied as its bytes in the list response ({@link Copying}) except what a step redacts
 * (annotations, the templates' and the
 * {@code volumeClaimTemplates}' among them, are filtered by name and their values redacted as
 * they pass; each container's {@code env}, {@code command}, {@code args},
 * probes and {@code lifecycle} are read as small trees, redacted as {@link ContainerValues}
 * redacts them in the tree steps, and written back; a probe or hook without {@code exec} or HTTP
 * headers is copied as it is) and what
 * the head keeps ({@code metadata} but its annotations, for enrichment and the lister's
 * bookkeeping). Gives the same record as the tree steps for every type whose steps it
 * {@link #performs}.
 */
final class RedactingCopy implements ItemReader {

    /** A Pod is about 4 KB; the buffer grows for larger objects. */
    private static final int INITIAL_RECORD_BYTES = 16 * 1024;
    /** A buffer grown past this for a large object is not kept for the next one. */
    private static final int KEPT_RECORD_BYTES = 256 * 1024;

    /** Written to have the generator put the separator before a value copied as its bytes. */
    private static final SerializableString NOTHING = new SerializedString("");
    /** The names a handler's redaction looks for, quoted as in the list response. */
    private static final byte[] EXEC = "\"exec\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP_HEADERS = "\"httpHeaders\"".getBytes(StandardCharsets.US_ASCII);

    /**
     * Each listing thread writes its records into a buffer of its own, reused from object to
     * object: a fresh buffer per object was a third of what the copy allocates.
     */
    private final ThreadLocal<ByteArrayOutputStream> buffers =
            ThreadLocal.withInitial(() -> new ByteArrayOutputStream(INITIAL_RECORD_BYTES));

    private final Annotations annotations;
    private final ContainerValues containers;

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
    public ListedObject read(ResourceType type, JsonParser parser, ItemSource source) {
        JsonPointer podSpec = PodTemplateContainers.podSpec(type);
        ObjectNode head = Json.MAPPER.createObjectNode()
                .put("apiVersion", type.apiVersion())
                .put("kind", type.kind());
        ByteArrayOutputStream record = buffers.get();
        record.reset();
        try (JsonGenerator generator = Json.MAPPER.createGenerator(record)) {
            Copying copying = new Copying(parser, generator, source, record);
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
                        head.set("metadata", copying.metadata());
                    }
                    default -> {
                        generator.writeName(name);
                        copying.value(podSpec != null && podSpec.matchesProperty(name) ? podSpec.tail() : null);
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
     * One item's copy. What no step redacts is copied as its bytes in the list response when
     * {@link VerbatimJson} says the generator would write the same bytes (almost always: the
     * parser still reads every token, for the item's limits, but no string is decoded and written
     * again), else token by token.
     */
    private final class Copying {
        private final JsonParser parser;
        private final JsonGenerator generator;
        private final byte[] bytes;
        private final ItemSource source;
        private final ByteArrayOutputStream record;

        Copying(JsonParser parser, JsonGenerator generator, ItemSource source, ByteArrayOutputStream record) {
            this.parser = parser;
            this.generator = generator;
            this.bytes = source.bytes();
            this.source = source;
            this.record = record;
        }

        /**
         * Copies the value at the parser's current token; {@code podSpec} is where the pod spec
         * sits below it (empty: this value is the pod spec), or null when it holds none.
         */
        void value(JsonPointer podSpec) {
            if (podSpec == null || parser.currentToken() != JsonToken.START_OBJECT) {
                verbatim();
                return;
            }
            generator.writeStartObject();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                generator.writeName(name);
                if (podSpec.matches()) {
                    if (value == JsonToken.START_ARRAY && ContainerValues.isContainerList(name)) {
                        objects(true);
                    } else {
                        verbatim();
                    }
                } else if (name.equals("metadata") && value == JsonToken.START_OBJECT) {
                    templateMetadata();
                } else if (name.equals(PodTemplateContainers.CLAIM_TEMPLATES) && value == JsonToken.START_ARRAY) {
                    objects(false);
                } else {
                    value(podSpec.matchesProperty(name) ? podSpec.tail() : null);
                }
            }
            generator.writeEndObject();
        }

        /**
         * Copies {@code metadata} without {@code managedFields} and without the removed
         * annotations; answers what the head keeps of it: all of it but the annotations.
         */
        ObjectNode metadata() {
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
                        annotations();
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
        private void templateMetadata() {
            generator.writeStartObject();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                generator.writeName(name);
                if (name.equals("annotations")) {
                    annotations();
                } else {
                    verbatim();
                }
            }
            generator.writeEndObject();
        }

        private void annotations() {
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
         * {@code command}, {@code args}, the probes and {@code lifecycle}) are redacted, and only
         * those small sub-trees are read as trees; a probe or hook with neither {@code exec} nor
         * HTTP headers has nothing to redact and is copied as it is.
         */
        private void containerProperty(String name) {
            if (!ContainerValues.holdsValues(name)) {
                verbatim();
            } else if (ContainerValues.isHandler(name) && parser.currentToken() == JsonToken.START_OBJECT) {
                int start = source.tokenStart(parser);
                int end = skipStructure();
                if (mentions(start, end, EXEC) || mentions(start, end, HTTP_HEADERS)
                        || !VerbatimJson.copiesAsIs(bytes, start, end)) {
                    try (JsonParser again = reparse(start, end)) {
                        generator.writeTree(containers.redactField(name, again.readValueAsTree()));
                    }
                } else {
                    raw(start, end);
                }
            } else {
                generator.writeTree(containers.redactField(name, parser.readValueAsTree()));
            }
        }

        /** A property of a claim template: the annotations of its {@code metadata} are redacted. */
        private void claimTemplateProperty(String name) {
            if (name.equals("metadata") && parser.currentToken() == JsonToken.START_OBJECT) {
                templateMetadata();
            } else {
                verbatim();
            }
        }

        /** Copies a list of objects: containers (else claim templates), each property as such. */
        private void objects(boolean containerList) {
            generator.writeStartArray();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() != JsonToken.START_OBJECT) {
                    verbatim();
                    continue;
                }
                generator.writeStartObject();
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    generator.writeName(name);
                    if (containerList) {
                        containerProperty(name);
                    } else {
                        claimTemplateProperty(name);
                    }
                }
                generator.writeEndObject();
            }
            generator.writeEndArray();
        }

        /** Copies the value at the parser's current token, no step redacting anything in it. */
        private void verbatim() {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                int start = source.tokenStart(parser);
                int closing = VerbatimJson.closingQuote(bytes, start);
                if (closing < 0) {
                    generator.copyCurrentEvent(parser);
                } else {
                    generator.writeRawUTF8String(bytes, start + 1, closing - start - 1);
                }
                return;
            }
            if (!token.isStructStart()) {
                generator.copyCurrentEvent(parser);
                return;
            }
            int start = source.tokenStart(parser);
            int end = skipStructure();
            if (VerbatimJson.copiesAsIs(bytes, start, end)) {
                raw(start, end);
            } else {
                try (JsonParser again = reparse(start, end)) {
                    generator.copyCurrentStructure(again);
                }
            }
        }

        /**
         * Reads to the end of the object or array at the parser's current token, token by token
         * (so that the item's limits are checked on each); answers where its bytes end.
         */
        private int skipStructure() {
            int depth = 1;
            while (depth > 0) {
                JsonToken token = parser.nextToken();
                if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                }
            }
            return source.tokenStart(parser) + 1;
        }

        /** A parser of the value in {@code bytes} from {@code start} to {@code end}, at its first token. */
        private JsonParser reparse(int start, int end) {
            JsonParser again = Json.MAPPER.createParser(bytes, start, end - start);
            again.nextToken();
            return again;
        }

        /** Writes the value in {@code bytes} from {@code start} to {@code end} as it is. */
        private void raw(int start, int end) {
            // the generator writes the separator before the value, then steps aside for the bytes
            generator.writeRawValue(NOTHING);
            generator.flush();
            record.write(bytes, start, end - start);
        }

        /** Whether {@code name}, quoted, is among the bytes from {@code start} to {@code end}. */
        private boolean mentions(int start, int end, byte[] name) {
            outer:
            for (int i = start; i <= end - name.length; i++) {
                for (int j = 0; j < name.length; j++) {
                    if (bytes[i + j] != name[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }
    }
}
