package io.k8scollector.receiver.store;

import java.util.List;

/** One page of record bodies and the key to continue after (null: the last page). */
public record RecordPage(List<byte[]> bodies, String continueAfter) {}
