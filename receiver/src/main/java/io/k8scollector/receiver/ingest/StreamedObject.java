package io.k8scollector.receiver.ingest;

import io.k8scollector.protocol.RecordKey;
import io.k8scollector.protocol.RecordKind;
import io.k8scollector.receiver.server.ApiException;
import io.k8scollector.receiver.store.RecordRow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads one Kubernetes object from a parser in a single pass, without building a tree or
 * writing JSON: the stored body is the object's slice of the page as sent, and the content hash
 * is taken over the same bytes with the {@code status}, {@code metadata.resourceVersion} and
 * {@code metadata.managedFields} members cut out (docs/receiver.md). Only the strings the object
 * is keyed and filtered by are decoded; the parser passes over every other value, still checking
 * its syntax and nesting.
 *
 * <p>The body's address is taken in the same pass, so that every byte is hashed once: a second
 * digest, the frame, takes the bytes the content hash leaves out, and says in body order which
 * ranges went to the content hash (their lengths) and where the content hash got a brace or comma
 * of its own. Replaying the frame against the content hash's input rebuilds the body byte for
 * byte, so two bodies that differ give different pairs of inputs, and the address, SHA-256 over
 * {@link #ADDRESS_LABEL} and the two digests, is as collision-resistant as SHA-256 of the body.
 */
final class StreamedObject {

    /** Sets an object's address apart from the plain SHA-256 of a body, which records of other kinds use. */
    private static final byte[] ADDRESS_LABEL = "k8s-collector object address 2\n".getBytes(StandardCharsets.US_ASCII);
    /** Frame entries: a range hashed by the content hash, a range left out (followed by its bytes), a byte of the content hash's own. */
    private static final byte KEPT = 'K';
    private static final byte LEFT_OUT = 'L';
    private static final byte ADDED = 'A';

    private final JsonParser parser;
    private final byte[] page;
    private final MessageDigest digest;
    private final HashInput content;
    private final HashInput frame;
    /** The page offset up to which the frame accounts for the body. */
    private int framed;
    private String apiVersion;
    private String kind;
    private boolean hasMetadata;
    private String uid;
    private String namespace;
    private String name;
    private String labels;
    /** Where the kept member being hashed starts; its end is known at the next member or the brace. */
    private int pending = -1;
    private boolean firstMember;

    private StreamedObject(JsonParser parser, byte[] page, MessageDigest digest, HashInput content, HashInput frame) {
        this.parser = parser;
        this.page = page;
        this.digest = digest;
        this.content = content;
        this.frame = frame;
    }

    /**
     * The object whose START_OBJECT is the parser's current token, as objects[{@code index}];
     * {@code page} is the parser's input; {@code digest} (SHA-256), {@code content} and {@code frame} are reused.
     */
    static RecordRow read(JsonParser parser, byte[] page, MessageDigest digest, HashInput content, HashInput frame,
            int index) {
        StreamedObject object = new StreamedObject(parser, page, digest, content, frame);
        int start = object.offset();
        object.framed = start;
        object.readTopLevel();
        int end = object.offset() + 1;
        object.leftOut(end);
        content.hashInto(digest);
        byte[] contentHash = digest.digest();
        frame.hashInto(digest);
        byte[] frameHash = digest.digest();
        digest.update(ADDRESS_LABEL);
        digest.update(contentHash);
        digest.update(frameHash);
        byte[] address = digest.digest();
        return object.row(index, Arrays.copyOfRange(page, start, end), address, contentHash);
    }

    private void readTopLevel() {
        beginObject();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            int member = offset();
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("metadata") && value == JsonToken.START_OBJECT) {
                hasMetadata = true;
                keepNested(member);
                readMetadata();
                continue;
            }
            nextMember(member, !field.equals("status"));
            if (value == JsonToken.VALUE_STRING && field.equals("apiVersion")) {
                apiVersion = parser.getString();
            } else if (value == JsonToken.VALUE_STRING && field.equals("kind")) {
                kind = parser.getString();
            }
            parser.skipChildren();
        }
        endObject();
    }

    private void readMetadata() {
        beginObject();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            int member = offset();
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            nextMember(member, !field.equals("resourceVersion") && !field.equals("managedFields"));
            if (value == JsonToken.VALUE_STRING) {
                switch (field) {
                    case "uid" -> uid = parser.getString();
                    case "namespace" -> namespace = parser.getString();
                    case "name" -> name = parser.getString();
                    default -> { }
                }
            } else if (value == JsonToken.START_OBJECT && field.equals("labels")) {
                int start = offset();
                parser.skipChildren();
                labels = new String(page, start, offset() + 1 - start, StandardCharsets.UTF_8);
            }
            parser.skipChildren();
        }
        endObject();
        // The metadata member is done; its object's members were hashed inside it.
        firstMember = false;
    }

    /** The page offset of the parser's current token. */
    private int offset() {
        return (int) parser.currentTokenLocation().getByteOffset();
    }

    private void beginObject() {
        added((byte) '{');
        firstMember = true;
        pending = -1;
    }

    /** A member starts at {@code start}: ends the kept one before it, and is hashed if {@code kept}. */
    private void nextMember(int start, boolean kept) {
        hashPending(start);
        if (kept) {
            separator();
            pending = start;
        }
    }

    /** A kept member whose value, an object, is hashed member by member: its name goes in now. */
    private void keepNested(int start) {
        hashPending(start);
        separator();
        kept(start, offset());
    }

    /** The current token is the object's closing brace. */
    private void endObject() {
        hashPending(offset());
        added((byte) '}');
    }

    private void separator() {
        if (!firstMember) {
            added((byte) ',');
        }
        firstMember = false;
    }

    /** Hashes the pending member, which ends before {@code next} (less its comma and blanks). */
    private void hashPending(int next) {
        if (pending < 0) {
            return;
        }
        int end = skipBlanksBack(next);
        if (page[end - 1] == ',') {
            end = skipBlanksBack(end - 1);
        }
        kept(pending, end);
        pending = -1;
    }

    /** The body's bytes from {@code from} to {@code to} go to the content hash. */
    private void kept(int from, int to) {
        leftOut(from);
        frameEntry(KEPT, to - from);
        content.add(page, from, to - from);
        framed = to;
    }

    /** The content hash gets a byte that is not the body's. */
    private void added(byte b) {
        frame.add(ADDED);
        content.add(b);
    }

    /** The body's bytes not framed yet, up to {@code to}, are left out of the content hash. */
    private void leftOut(int to) {
        if (to > framed) {
            frameEntry(LEFT_OUT, to - framed);
            frame.add(page, framed, to - framed);
            framed = to;
        }
    }

    private void frameEntry(byte kind, int length) {
        frame.add(kind);
        frame.addInt(length);
    }

    private int skipBlanksBack(int end) {
        while (end > 0 && isBlank(page[end - 1])) {
            end--;
        }
        return end;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private RecordRow row(int index, byte[] body, byte[] bodyHash, byte[] contentHash) {
        if (apiVersion == null || apiVersion.isEmpty()) {
            throw missing(index, "\"apiVersion\" string");
        }
        if (kind == null || kind.isEmpty()) {
            throw missing(index, "\"kind\" string");
        }
        if (!hasMetadata) {
            throw ApiException.badRequest("objects[" + index + "] has no metadata object.");
        }
        if (uid == null && name == null) {
            throw ApiException.badRequest("objects[" + index + "] has neither metadata.uid nor metadata.name.");
        }
        String key = RecordKey.object(uid, apiVersion, kind, namespace, name).value();
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return new RecordRow(RecordKind.OBJECTS, key, uid, apiVersion, group, kind, namespace, name, labels,
                body, bodyHash, contentHash);
    }

    private static ApiException missing(int index, String what) {
        return ApiException.badRequest("objects[" + index + "] has no " + what + ".");
    }
}
