/**
 * The reference receiver: the server side of the ingest protocol (docs/protocol.md), its
 * storage, query API and inventory page. One package per role: {@code cli} (the commands),
 * {@code server} (HTTP wiring), {@code ingest} (the protocol), {@code keys} (access keys and
 * tokens), {@code store} (the database), {@code query} (the query API), {@code health} (each cluster's
 * collector: ok, stale or failing) and {@code web} (the page).
 */
package io.k8scollector.receiver;
