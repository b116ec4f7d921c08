/**
 * {@code k8s-collector check}: a preflight that says what a run would do without starting one. It
 * resolves the configuration as a run does, asks the API server what it would allow (access
 * reviews, no listing), logs in to the endpoint, and prints one line per check and a verdict; with
 * {@code --rbac}, the least-privilege ClusterRole for the types selected on this cluster.
 */
package io.k8scollector.collector.check;
