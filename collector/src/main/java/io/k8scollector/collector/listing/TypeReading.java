package io.k8scollector.collector.listing;

import java.util.function.Consumer;

/**
 * How the items of one type are read and where they go: {@code reader} reads each item,
 * {@code consumer} takes it, on the listing thread that read it.
 */
public record TypeReading(ItemReader reader, Consumer<ListedObject> consumer) {}
