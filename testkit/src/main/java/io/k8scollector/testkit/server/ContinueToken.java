package io.k8scollector.testkit.server;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code continue} token of a paged list: the resourceVersion of the first page and the
 * key the next page starts after.
 *
 * @param resourceVersion the list's resourceVersion, reported on every page of it
 * @param afterKey the storage key of the last object already sent
 */
record ContinueToken(long resourceVersion, String afterKey) {

    String encode() {
        String plain = resourceVersion + "\n" + afterKey;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a token this server made.
     *
     * @throws IllegalArgumentException when the token is not one
     */
    static ContinueToken decode(String token) {
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        int newline = plain.indexOf('\n');
        if (newline <= 0 || !plain.substring(0, newline).chars().allMatch(Character::isDigit)) {
            throw invalid();
        }
        return new ContinueToken(Long.parseLong(plain.substring(0, newline)), plain.substring(newline + 1));
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException("continue key is not valid: not a token this server issued");
    }
}
