package io.k8scollector.receiver.store;

import java.util.function.Predicate;

/**
 * Which records of a snapshot a list returns; null fields match everything. {@code labels}
 * tests the labels JSON of an object (null when it has none).
 */
public record RecordFilter(
        String group, String version, String kind, String namespace, String name, Predicate<String> labels) {

    public static final RecordFilter ALL = new RecordFilter(null, null, null, null, null, l -> true);
}
