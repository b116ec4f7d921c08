package io.k8scollector.collector;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * A Kubernetes uid as its 128 bits, so that stages that remember many objects (the listing's
 * emitted set, the ownership trees) keep 16 bytes per uid instead of a 36-character string. The
 * API server gives every uid in the canonical UUID form (8-4-4-4-12 lower-case hex digits); any
 * other text maps to the bits of a name-based UUID of it, the same for the same text.
 *
 * @param high the first 64 bits
 * @param low the last 64 bits
 */
public record UidBits(long high, long low) {

    /** The bits of {@code uid} in the canonical form; empty for any other text. */
    public static Optional<UidBits> canonical(String uid) {
        if (!isCanonical(uid)) {
            return Optional.empty();
        }
        long high = hex(uid, 0, 8) << 32 | hex(uid, 9, 13) << 16 | hex(uid, 14, 18);
        long low = hex(uid, 19, 23) << 48 | hex(uid, 24, 36);
        return Optional.of(new UidBits(high, low));
    }

    /** The bits of {@code uid}: its own in the canonical form, else those of a name-based UUID of its text. */
    public static UidBits of(String uid) {
        return canonical(uid).orElseGet(() -> {
            UUID named = UUID.nameUUIDFromBytes(uid.getBytes(StandardCharsets.UTF_8));
            return new UidBits(named.getMostSignificantBits(), named.getLeastSignificantBits());
        });
    }

    /** The canonical text of these bits. */
    public String text() {
        return new UUID(high, low).toString();
    }

    private static boolean isCanonical(String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The value of the hex digits from {@code from} to {@code to}, a range without a dash. */
    private static long hex(String text, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            value = value << 4 | Character.digit(text.charAt(i), 16);
        }
        return value;
    }
}
