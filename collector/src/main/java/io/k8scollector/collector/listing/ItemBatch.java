package io.k8scollector.collector.listing;

/**
 * Whole items of one list response, in their order, as a sequence of JSON values (the commas
 * between them blanked) in {@code bytes} from {@code from} to {@code to}; {@code firstItem} is
 * the first one's ordinal in the listing. The buffer is the pipe's: it goes back to the pipe once
 * the items are read.
 */
record ItemBatch(byte[] bytes, int from, int to, int firstItem) {}
