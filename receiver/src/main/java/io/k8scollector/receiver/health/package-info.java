/**
 * Cluster health: what each cluster's collector was last seen doing ({@link
 * io.k8scollector.receiver.health.CollectorActivity}), the rule that makes it ok, stale or failing
 * ({@link io.k8scollector.receiver.health.HealthRule}), and where it is shown: {@code GET
 * /v1/clusters/{id}}, the cluster listing, the {@code /metrics} gauges and {@code clusters list}.
 */
package io.k8scollector.receiver.health;
