package io.k8scollector.collector.redaction;

/**
 * Whether bytes of JSON, already parsed and found well formed, are what Jackson's generator writes
 * when it copies them token by token, so that they can be copied as they are: ASCII only, no
 * white space outside strings, no escape in a string, integers only and never {@code -0}. That is
 * how an API server writes most of a list response (Go's encoder writes no white space, and
 * escapes only {@code <}, {@code >}, {@code &} and control characters); the rest, re-generated,
 * would come out different (a float as Java prints a double, an escape as Jackson writes it), so
 * it is copied token by token, and a record is the same bytes either way.
 */
final class VerbatimJson {

    private VerbatimJson() {}

    /**
     * The index of the quote that closes the string whose opening quote is at {@code start}, or -1
     * when the string holds an escape or a byte outside ASCII before it.
     */
    static int closingQuote(byte[] bytes, int start) {
        for (int i = start + 1; i < bytes.length; i++) {
            byte next = bytes[i];
            if (next == '"') {
                return i;
            }
            if (next == '\\' || next < 0) {
                return -1;
            }
        }
        return -1;
    }

    /** Whether the JSON value in {@code bytes} from {@code from} to {@code to} can be copied as it is. */
    static boolean copiesAsIs(byte[] bytes, int from, int to) {
        boolean inString = false;
        for (int i = from; i < to; i++) {
            byte next = bytes[i];
            if (next < 0) {
                return false;
            }
            if (inString) {
                if (next == '"') {
                    inString = false;
                } else if (next == '\\') {
                    return false;
                }
                continue;
            }
            switch (next) {
                case '"' -> inString = true;
                case ' ', '\t', '\n', '\r', '.', 'E', '+' -> {
                    return false;
                }
                case 'e' -> {
                    // an exponent, not the end of true or false
                    if (i > from && bytes[i - 1] >= '0' && bytes[i - 1] <= '9') {
                        return false;
                    }
                }
                case '-' -> {
                    if (i + 1 < to && bytes[i + 1] == '0') {
                        return false;
                    }
                }
                default -> { }
            }
        }
        return true;
    }
}
