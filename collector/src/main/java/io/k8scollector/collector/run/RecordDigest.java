package io.k8scollector.collector.run;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The first 64 bits of SHA-256 of a record's JSON: what a continuous run keeps of each Helm
 * release, type record and tree it shipped, to tell a changed record from the one the endpoint
 * holds without keeping the record.
 */
final class RecordDigest {

    private RecordDigest() {}

    static long of(byte[] json) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(json)).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
