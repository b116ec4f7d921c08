package io.k8scollector.testkit.server;

import io.k8scollector.testkit.store.StoredObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JSON of one list response: its head (kind, apiVersion and {@code metadata} with the
 * {@code continue} token, before the items as the real API server writes them), then each stored
 * body with the item prefix in place of its opening brace, then the closing brackets.
 *
 * @param head the list up to and including {@code "items":[}
 * @param itemPrefix what replaces each body's opening brace: {@code {} or the brace and the item's type
 * @param items the objects, in list order
 */
record ListBody(byte[] head, byte[] itemPrefix, List<StoredObject> items) {

    private static final byte[] TAIL = {']', '}'};

    /** The prefix of an item that carries its type: its opening brace, {@code kind} and {@code apiVersion}. */
    static byte[] typedItemPrefix(String kind, String apiVersion) {
        return ("{\"kind\":\"" + kind + "\",\"apiVersion\":\"" + apiVersion + "\",").getBytes(StandardCharsets.UTF_8);
    }

    /** The body's length in bytes. */
    long length() {
        long length = head.length + TAIL.length + Math.max(0, items.size() - 1);
        for (StoredObject item : items) {
            length += itemPrefix.length + item.body().length - 1L;
        }
        return length;
    }

    /**
     * Writes the head and the first {@code count} items, and the closing brackets when that is every
     * item.
     */
    void writeTo(OutputStream out, int count) throws IOException {
        out.write(head);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.write(',');
            }
            byte[] body = items.get(i).body();
            out.write(itemPrefix);
            out.write(body, 1, body.length - 1);
        }
        if (count == items.size()) {
            out.write(TAIL);
        }
    }

    /** The whole body in one array, copied once from the stored bodies. */
    byte[] toBytes() {
        ArrayFiller filler = new ArrayFiller(new byte[Math.toIntExact(length())]);
        try {
            writeTo(filler, items.size());
        } catch (IOException impossible) {
            throw new IllegalStateException("writing to an array failed", impossible);
        }
        return filler.bytes;
    }

    /** Fills an array of exactly the length written, without growing or copying it again. */
    private static final class ArrayFiller extends OutputStream {

        private final byte[] bytes;
        private int at;

        ArrayFiller(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void write(int b) {
            bytes[at++] = (byte) b;
        }

        @Override
        public void write(byte[] source, int from, int length) {
            System.arraycopy(source, from, bytes, at, length);
            at += length;
        }
    }
}
