package io.k8scollector.protocol;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The id of one collection run: 24 lowercase hex characters, a Mongo-style ObjectId made of 4
 * bytes of epoch seconds and 8 random bytes, so ids sort roughly by start time.
 */
public final class FetchingId {

    private static final Pattern VALID = Pattern.compile("[0-9a-f]{24}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private FetchingId() {}

    /** A new id for a run started at {@code now}. */
    public static String generate(Instant now) {
        byte[] bytes = new byte[12];
        int seconds = (int) now.getEpochSecond();
        bytes[0] = (byte) (seconds >>> 24);
        bytes[1] = (byte) (seconds >>> 16);
        bytes[2] = (byte) (seconds >>> 8);
        bytes[3] = (byte) seconds;
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        System.arraycopy(random, 0, bytes, 4, 8);
        return HexFormat.of().formatHex(bytes);
    }

    /** Whether {@code id} has the form of a fetching id. */
    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}
