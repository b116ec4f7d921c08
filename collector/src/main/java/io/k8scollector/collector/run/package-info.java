/**
 * The run: discover, list, redact and enrich, ship, commit, in one readable sequence that ends in a run report.
 */
package io.k8scollector.collector.run;
