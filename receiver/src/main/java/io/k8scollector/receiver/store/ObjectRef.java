package io.k8scollector.receiver.store;

/** An object named in a list of changes. */
public record ObjectRef(String uid, String apiVersion, String kind, String namespace, String name) {}
