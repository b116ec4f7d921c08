package io.k8scollector.collector.redaction;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Answers of a deterministic function of a string, remembered for the strings that repeat from
 * object to object (the env values, arguments and annotations of every pod of a workload). Bounded
 * by entries and by the length of a string kept: once full, answers are computed and not kept, and
 * a long string is never kept. Thread-safe.
 *
 * @param <V> the answer
 */
final class Remembered<V> {

    private final int maxEntries;
    private final int maxLength;
    private final Function<String, V> function;
    private final Map<String, V> answers = new ConcurrentHashMap<>();

    Remembered(int maxEntries, int maxLength, Function<String, V> function) {
        this.maxEntries = maxEntries;
        this.maxLength = maxLength;
        this.function = function;
    }

    /** The function's answer for {@code key}. */
    V get(String key) {
        V known = answers.get(key);
        if (known != null) {
            return known;
        }
        V answer = function.apply(key);
        if (key.length() <= maxLength && answers.size() < maxEntries) {
            answers.put(key, answer);
        }
        return answer;
    }
}
