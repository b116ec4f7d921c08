/**
 * Watching: one type's changes streamed from the API server after a list's resourceVersion, resumed
 * across closed streams and dropped connections, never relisted unless the server says its history is gone.
 */
package io.k8scollector.collector.watching;
