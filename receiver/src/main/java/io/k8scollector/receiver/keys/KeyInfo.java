package io.k8scollector.receiver.keys;

import java.time.Instant;
import java.util.List;

/** What {@code keys list} shows of a key: never its secret. */
public record KeyInfo(String accessKey, List<String> clusters, Instant createdAt, boolean revoked) {}
