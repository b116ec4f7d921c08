package io.k8scollector.receiver.store;

/** How many objects of one kind a snapshot holds. */
public record KindCount(String apiVersion, String kind, long count) {}
