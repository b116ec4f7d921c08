/**
 * Health, in continuous mode: liveness and readiness by the rules, the collector's metrics,
 * and the server that answers {@code /healthz}, {@code /readyz} and {@code /metrics}.
 */
package io.k8scollector.collector.health;
