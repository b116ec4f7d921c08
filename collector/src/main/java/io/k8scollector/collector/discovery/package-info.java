/**
 * Discovery: which resource types the API server serves, at which version, and which of them the configuration selects.
 */
package io.k8scollector.collector.discovery;
