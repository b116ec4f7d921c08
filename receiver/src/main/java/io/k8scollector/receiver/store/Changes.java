package io.k8scollector.receiver.store;

import java.util.List;

/** What differs between snapshot {@code from} (null: none) and snapshot {@code to}. */
public record Changes(String from, String to, List<ObjectRef> added, List<ObjectRef> changed, List<ObjectRef> deleted) {}
