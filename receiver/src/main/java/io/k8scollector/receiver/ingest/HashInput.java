package io.k8scollector.receiver.ingest;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The bytes a hash is taken over, gathered first and hashed in one call: SHA-256 then takes whole
 * runs of blocks at a time (the JIT's intrinsic for many blocks) instead of the dozens of small
 * updates one object's members make. Reused from object to object.
 */
final class HashInput {

    private byte[] bytes = new byte[8192];
    private int length;

    void add(byte b) {
        room(1);
        bytes[length++] = b;
    }

    void add(byte[] source, int from, int count) {
        room(count);
        System.arraycopy(source, from, bytes, length, count);
        length += count;
    }

    void addInt(int value) {
        room(4);
        bytes[length++] = (byte) (value >>> 24);
        bytes[length++] = (byte) (value >>> 16);
        bytes[length++] = (byte) (value >>> 8);
        bytes[length++] = (byte) value;
    }

    /** Hands the gathered bytes to {@code digest} and starts over. */
    void hashInto(MessageDigest digest) {
        digest.update(bytes, 0, length);
        length = 0;
    }

    private void room(int count) {
        if (length + count > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
        }
    }
}
