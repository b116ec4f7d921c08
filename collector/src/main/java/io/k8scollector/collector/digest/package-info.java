/**
 * Keyed digests ({@code hmac-sha256:}) of values under the run's redaction key, and the canonical
 * JSON they are taken of: shared by redaction (which replaces secret values by them) and
 * enrichment (which digests Helm and Argo CD values), so that neither stage imports the other.
 */
package io.k8scollector.collector.digest;
