package io.k8scollector.collector.listing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Cuts a list response into its {@code metadata} and its items without parsing the items: a scan
 * of the bytes that follows strings and nesting only, so that the thread reading a page spends
 * little on it and the items are parsed, redacted and emitted by another ({@link ItemPipe}). The
 * items go out in {@link ItemBatch}es of whole items, in their order, each batch in a buffer of
 * the pipe's; an item larger than a buffer gets a larger one of its own. Only the list's
 * {@code metadata} is parsed here, as soon as it has arrived (Kubernetes sends it before the
 * items), so that the next page can be asked for before the items are read.
 *
 * <p>The scan trusts the JSON to be well formed; the items' parser checks that. A body that ends
 * before the list does, or that is not JSON where the scan looks, is an {@link IOException}, as
 * one that breaks off.
 */
final class PageSplitter {

    /** Takes the list's {@code metadata}, parsed; may ask for the next page. */
    @FunctionalInterface
    interface MetadataReader {
        void read(JsonNode metadata);
    }

    /** The response is JSON but not a JSON object: not a list. */
    static final class NotAList extends IOException {
        private static final long serialVersionUID = 1L;

        NotAList() {
            super("the list answer is not a JSON object");
        }
    }

    private static final byte[] METADATA = "metadata".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ITEMS = "items".getBytes(StandardCharsets.US_ASCII);

    private final InputStream in;
    private final ItemPipe pipe;
    private final MetadataReader metadata;
    private byte[] buffer;
    private int position;
    private int filled;
    /** Where the value being kept (an item, the metadata, a property name) starts; -1 when none is. */
    private int mark = -1;
    /** The items of the batch being gathered in {@link #buffer}, and where they lie. */
    private int items;
    private int batchFrom;
    private int batchTo;
    /** The ordinal, in the whole listing, of the batch's first item. */
    private int firstItem;
    private int nextItem;

    /**
     * A splitter of {@code in}, the body of one list response.
     *
     * @param firstItem the ordinal of the page's first item in the listing (counted from 1 over all
     *     the pages since the listing started)
     */
    PageSplitter(InputStream in, ItemPipe pipe, int firstItem, MetadataReader metadata) {
        this.in = in;
        this.pipe = pipe;
        this.metadata = metadata;
        this.nextItem = firstItem;
    }

    /**
     * Reads the whole response, handing its items to the pipe and its metadata to the reader;
     * answers the ordinal the next page's first item will have.
     */
    int split() throws IOException {
        buffer = pipe.buffer(0);
        try {
            if (blank() != '{') {
                throw new NotAList();
            }
            int next = blank();
            while (next != '}') {
                if (next != '"') {
                    throw malformed("a property name");
                }
                byte[] name = name();
                if (blank() != ':') {
                    throw malformed("':'");
                }
                int value = blank();
                if (value == '{' && matches(name, METADATA)) {
                    mark = position - 1;
                    skipNested();
                    metadata.read(parse(mark, position));
                    mark = -1;
                } else if (value == '[' && matches(name, ITEMS)) {
                    items();
                } else {
                    skipValue(value);
                }
                next = blank();
                if (next == ',') {
                    next = blank();
                } else if (next != '}') {
                    throw malformed("',' or '}'");
                }
            }
            if (handOff()) {
                buffer = null;
            }
            return nextItem;
        } finally {
            if (buffer != null) {
                pipe.release(buffer);
                buffer = null;
            }
        }
    }

    /** The items, after the array's {@code [}; non-object items are passed over. */
    private void items() throws IOException {
        int next = blank();
        while (next != ']') {
            if (next == '{') {
                mark = position - 1;
                skipNested();
                // the item may have moved to the front of another buffer meanwhile
                int start = mark;
                mark = -1;
                if (items == 0) {
                    batchFrom = start;
                    firstItem = nextItem;
                }
                items++;
                nextItem++;
                batchTo = position;
            } else {
                skipValue(next);
            }
            next = blank();
            if (next == ',') {
                // the batch is parsed as a sequence of values: the commas between items go
                buffer[position - 1] = ' ';
                next = blank();
            } else if (next != ']') {
                throw malformed("',' or ']'");
            }
        }
    }

    /** Passes over the value that starts with {@code first}, already read. */
    private void skipValue(int first) throws IOException {
        if (first == '{' || first == '[') {
            skipNested();
        } else if (first == '"') {
            skipString();
        } else {
            int next = first;
            while (next != ',' && next != '}' && next != ']' && !isBlank(next)) {
                next = read();
                if (next < 0) {
                    throw ended();
                }
            }
            position--;
        }
    }

    /** Passes over the rest of the object or array whose opening byte was just read. */
    private void skipNested() throws IOException {
        int depth = 1;
        boolean inString = false;
        boolean escaped = false;
        while (true) {
            if (position == filled && !more()) {
                throw ended();
            }
            byte[] bytes = buffer;
            int at = position;
            int end = filled;
            while (at < end) {
                byte next = bytes[at++];
                if (inString) {
                    if (escaped) {
                        escaped = false;
                    } else if (next == '\\') {
                        escaped = true;
                    } else if (next == '"') {
                        inString = false;
                    }
                } else if (next == '"') {
                    inString = true;
                } else if (next == '{' || next == '[') {
                    depth++;
                } else if ((next == '}' || next == ']') && --depth == 0) {
                    position = at;
                    return;
                }
            }
            position = at;
        }
    }

    /** Passes over the rest of a string whose opening quote was just read. */
    private void skipString() throws IOException {
        boolean escaped = false;
        while (true) {
            int next = read();
            if (next < 0) {
                throw ended();
            }
            if (escaped) {
                escaped = false;
            } else if (next == '\\') {
                escaped = true;
            } else if (next == '"') {
                return;
            }
        }
    }

    /** A property name whose opening quote was just read, as its bytes (escapes decoded). */
    private byte[] name() throws IOException {
        mark = position - 1;
        skipString();
        int from = mark;
        mark = -1;
        for (int i = from + 1; i < position - 1; i++) {
            if (buffer[i] == '\\') {
                return parse(from, position).asString().getBytes(StandardCharsets.UTF_8);
            }
        }
        byte[] name = new byte[position - from - 2];
        System.arraycopy(buffer, from + 1, name, 0, name.length);
        return name;
    }

    private static boolean matches(byte[] name, byte[] expected) {
        return java.util.Arrays.equals(name, expected);
    }

    private JsonNode parse(int from, int to) throws IOException {
        try {
            return ItemLimits.LIST_RESPONSES.readTree(buffer, from, to - from);
        } catch (JacksonException e) {
            throw new IOException("The list response is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The next byte that is not white space. */
    private int blank() throws IOException {
        int next;
        do {
            next = read();
        } while (next >= 0 && isBlank(next));
        if (next < 0) {
            throw ended();
        }
        return next;
    }

    private static boolean isBlank(int next) {
        return next == ' ' || next == '\n' || next == '\r' || next == '\t';
    }

    private int read() throws IOException {
        if (position == filled && !more()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    /**
     * Reads more of the body into the buffer, making room first when it is full: the gathered
     * items go to the pipe, and what is still being kept moves to the front of a buffer (a larger
     * one when it fills a whole buffer alone).
     */
    private boolean more() throws IOException {
        if (filled == buffer.length) {
            int keep = mark >= 0 ? mark : filled;
            byte[] old = buffer;
            byte[] next;
            if (handOff()) {
                buffer = null;
                next = pipe.buffer(filled - keep);
            } else if (keep == 0) {
                next = new byte[old.length * 2];
                pipe.release(old);
            } else {
                next = old;
            }
            System.arraycopy(old, keep, next, 0, filled - keep);
            buffer = next;
            position -= keep;
            filled -= keep;
            if (mark >= 0) {
                mark -= keep;
            }
        }
        int read = in.read(buffer, filled, buffer.length - filled);
        if (read < 0) {
            return false;
        }
        filled += read;
        return true;
    }

    /**
     * Hands the gathered items, if any, to the pipe; answers whether it did, and so whether the
     * buffer is the pipe's from then on.
     */
    private boolean handOff() throws IOException {
        if (items == 0) {
            return false;
        }
        pipe.put(new ItemBatch(buffer, batchFrom, batchTo, firstItem));
        items = 0;
        return true;
    }

    private IOException ended() {
        return new IOException("The list response ended before the list did.");
    }

    private IOException malformed(String expected) {
        return new IOException("The list response is not valid JSON: " + expected + " expected.");
    }
}
