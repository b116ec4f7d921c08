package io.k8scollector.receiver.keys;

import java.time.Instant;
import java.util.List;

/**
 * What {@code keys list} shows of a key: never its secret.
 *
 * @param clusters the clusters it may touch; empty: every cluster
 * @param scopes {@code ingest}, {@code read} or both
 */
public record KeyInfo(String accessKey, List<String> clusters, List<String> scopes, Instant createdAt, boolean revoked) {}
