/**
 * Configuration: one typed, immutable value built from the config directory, the environment and flags, validated before anything is contacted.
 */
package io.k8scollector.collector.config;
