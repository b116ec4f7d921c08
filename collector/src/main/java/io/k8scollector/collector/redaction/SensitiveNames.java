package io.k8scollector.collector.redaction;

import java.util.regex.Pattern;

/**
 * Whether a name (an env variable, a flag, a ConfigMap key, a shell or config assignment) marks its
 * value as secret: the pattern is found in it as it is, or in it with {@code -} and {@code .} read
 * as {@code _} (so {@code --db-pass} and {@code db.pass} are read as {@code db_pass}). Thread-safe.
 */
final class SensitiveNames {

    /** Names repeat across every pod of a workload; matching them took 60% of the chain's time. */
    private static final int MAX_REMEMBERED_NAMES = 10_000;
    /** A long name is matched, never kept. */
    private static final int MAX_REMEMBERED_LENGTH = 128;

    private final Pattern pattern;
    private final Remembered<Boolean> remembered = new Remembered<>(MAX_REMEMBERED_NAMES, MAX_REMEMBERED_LENGTH, this::matches);

    SensitiveNames(Pattern pattern) {
        this.pattern = pattern;
    }

    /** Whether {@code name}, one that repeats from object to object (an env variable's, a flag's, a key's), is sensitive. */
    boolean isSensitive(String name) {
        return remembered.get(name);
    }

    /**
     * Whether {@code name}, found in free text (an assignment's, a JSON member's, a configuration
     * line's), is sensitive; not remembered, so that the words of certificates and scripts do not
     * crowd out the names that repeat.
     */
    boolean matches(String name) {
        return !name.isEmpty()
                && (pattern.matcher(name).find() || pattern.matcher(name.replace('-', '_').replace('.', '_')).find());
    }
}
