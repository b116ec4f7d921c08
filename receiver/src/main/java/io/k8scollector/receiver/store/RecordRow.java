package io.k8scollector.receiver.store;

import io.k8scollector.protocol.RecordKind;

/**
 * One received record as the store keeps it: its identity within a fetching ({@code key}), the
 * columns queries filter on, and its body with two hashes. {@code bodyHash} addresses the exact
 * bytes; {@code contentHash} is what "changed" compares (see docs/receiver.md).
 *
 * @param labels the object's labels as a JSON object, or null
 */
public record RecordRow(
        RecordKind kind,
        String key,
        String uid,
        String apiVersion,
        String group,
        String typeKind,
        String namespace,
        String name,
        String labels,
        byte[] body,
        byte[] bodyHash,
        byte[] contentHash) {}
