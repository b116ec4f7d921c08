package io.k8scollector.collector.listing;

import tools.jackson.core.JsonParser;

/**
 * The bytes an item's parser reads: the list response's, from {@code from} on, where the parser's
 * byte offsets start. A reader may copy a value's bytes from here as they are, rather than
 * generate them again token by token.
 */
public record ItemSource(byte[] bytes, int from) {

    /** The bytes of a parser that reads all of {@code bytes}. */
    public static ItemSource of(byte[] bytes) {
        return new ItemSource(bytes, 0);
    }

    /** Where in {@link #bytes} the parser's current token starts (a string's at its opening quote). */
    public int tokenStart(JsonParser parser) {
        return from + (int) parser.currentTokenLocation().getByteOffset();
    }
}
