/** Benchmarks: the receiver's load generator ({@code bench/receiver-load.sh}) and JMH benchmarks. */
package io.k8scollector.bench;
