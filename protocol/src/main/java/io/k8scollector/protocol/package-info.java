/**
 * The ingest protocol, versions 1.0 and 1.1 (docs/protocol.md): the records the collector sends and the
 * receiver stores, their JSON form, and the identities they carry. Shared by both sides so that
 * they cannot drift apart; it knows nothing of HTTP or Kubernetes clients. It also holds the one
 * parser of the label-selector text ({@link io.k8scollector.protocol.LabelSelector}) that the
 * test cluster and the receiver's query API read, the only module both depend on.
 */
package io.k8scollector.protocol;
