package io.k8scollector.protocol;

import java.util.regex.Pattern;

/** The customer-chosen cluster identifier: {@code ^[a-z0-9_-]+$}, 1 to 63 characters. */
public final class ClusterId {

    private static final Pattern VALID = Pattern.compile("[a-z0-9_-]{1,63}");

    /** What a valid id looks like, for error messages. */
    public static final String RULE = "1 to 63 characters of lowercase letters, digits, '-' and '_'";

    private ClusterId() {}

    /** Whether {@code id} is a valid cluster id. */
    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}
