/**
 * The query API: clusters, the current snapshot's objects, Helm releases, types and trees,
 * and the changes between snapshots ({@code QueryEndpoints}); and what the inventory browser
 * shows ({@code InventoryEndpoints}): a kind's objects by name, namespaces, an object's
 * relations and history, and across clusters the images in use and the Helm charts. Lists are paged with
 * {@code limit} and {@code continue}.
 */
package io.k8scollector.receiver.query;
