package io.k8scollector.testkit.generator;

/**
 * What services and endpoints need to know of a generated pod.
 *
 * @param name the pod's name
 * @param uid the pod's uid
 * @param ip its pod IP
 * @param node the node it runs on
 */
record PodRef(String name, String uid, String ip, String node) {}
