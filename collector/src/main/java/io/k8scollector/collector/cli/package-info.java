/**
 * The command line: flags compatible with the original Go collector, logging set-up and exit codes.
 */
package io.k8scollector.collector.cli;
