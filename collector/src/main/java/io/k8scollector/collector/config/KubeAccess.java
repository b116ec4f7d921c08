package io.k8scollector.collector.config;

import java.nio.file.Path;

/**
 * How to reach the API server: a kubeconfig file (and optionally one of its contexts), or the
 * pod's service account when {@code kubeconfig} is null.
 */
public record KubeAccess(Path kubeconfig, String context) {

    /** The service account mounted into the collector's pod. */
    public static KubeAccess inCluster() {
        return new KubeAccess(null, null);
    }

    /** Whether this is the in-cluster service account. */
    public boolean inClusterAccount() {
        return kubeconfig == null;
    }
}
