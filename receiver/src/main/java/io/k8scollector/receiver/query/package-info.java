/**
 * The query API: clusters, the current snapshot's objects, Helm releases, types and trees,
 * and the changes between snapshots. Lists are paged with {@code limit} and {@code continue}.
 */
package io.k8scollector.receiver.query;
