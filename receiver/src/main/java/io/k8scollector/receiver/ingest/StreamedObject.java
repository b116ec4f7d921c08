package io.k8scollector.receiver.ingest;

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
 */
final class StreamedObject {

    private final JsonParser parser;
    private final byte[] page;
    private final MessageDigest digest;
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

    private StreamedObject(JsonParser parser, byte[] page, MessageDigest digest) {
        this.parser = parser;
        this.page = page;
        this.digest = digest;
    }

    /**
     * The object whose START_OBJECT is the parser's current token, as objects[{@code index}];
     * {@code page} is the parser's input and {@code digest} a SHA-256 digest to reuse.
     */
    static RecordRow read(JsonParser parser, byte[] page, MessageDigest digest, int index) {
        StreamedObject object = new StreamedObject(parser, page, digest);
        int start = object.offset();
        object.readTopLevel();
        int end = object.offset() + 1;
        byte[] contentHash = digest.digest();
        byte[] body = Arrays.copyOfRange(page, start, end);
        return object.row(index, body, digest.digest(body), contentHash);
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
        digest.update((byte) '{');
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
        digest.update(page, start, offset() - start);
    }

    /** The current token is the object's closing brace. */
    private void endObject() {
        hashPending(offset());
        digest.update((byte) '}');
    }

    private void separator() {
        if (!firstMember) {
            digest.update((byte) ',');
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
        digest.update(page, pending, end - pending);
        pending = -1;
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
        String key = uid != null ? "u:" + uid : "n:" + apiVersion + "/" + kind + "/" + namespace + "/" + name;
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return new RecordRow(RecordKind.OBJECTS, key, uid, apiVersion, group, kind, namespace, name, labels,
                body, bodyHash, contentHash);
    }

    private static ApiException missing(int index, String what) {
        return ApiException.badRequest("objects[" + index + "] has no " + what + ".");
    }
}
