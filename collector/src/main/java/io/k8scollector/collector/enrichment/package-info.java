/**
 * Enrichment: records derived from the objects as they stream by: Helm releases, Argo CD applications and ownership trees.
 */
package io.k8scollector.collector.enrichment;
