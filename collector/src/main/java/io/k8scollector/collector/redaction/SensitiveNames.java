package io.k8scollector.collector.redaction;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Whether a name (an env variable, a flag, a ConfigMap key, a shell or config assignment) marks its
 * value as secret: the pattern is found in it as it is, or in it with {@code -} and {@code .} read
 * as {@code _} (so {@code --db-pass} and {@code db.pass} are read as {@code db_pass}). Thread-safe.
 */
final class SensitiveNames {

    /** Names repeat across every pod of a workload; matching them took 60% of the chain's time. */
    private static final int MAX_REMEMBERED_NAMES = 10_000;
    /** Names come from text too (assignments, config lines): a long one is matched, never kept. */
    private static final int MAX_REMEMBERED_LENGTH = 128;

    private final Pattern pattern;
    private final Map<String, Boolean> remembered = new ConcurrentHashMap<>();

    SensitiveNames(Pattern pattern) {
        this.pattern = pattern;
    }

    boolean isSensitive(String name) {
        if (name.isEmpty()) {
            return false;
        }
        Boolean known = remembered.get(name);
        if (known != null) {
            return known;
        }
        boolean matches = pattern.matcher(name).find()
                || pattern.matcher(name.replace('-', '_').replace('.', '_')).find();
        if (remembered.size() < MAX_REMEMBERED_NAMES && name.length() <= MAX_REMEMBERED_LENGTH) {
            remembered.put(name, matches);
        }
        return matches;
    }
}
