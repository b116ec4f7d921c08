/**
 * Redaction: what must never leave the cluster (secret values, sensitive env values, Helm values) is removed or replaced by a keyed digest before anything is serialised.
 */
package io.k8scollector.collector.redaction;
