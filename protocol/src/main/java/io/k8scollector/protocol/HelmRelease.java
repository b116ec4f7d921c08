package io.k8scollector.protocol;

import java.time.Instant;
import java.util.List;

/**
 * One release, from Helm's own storage ({@code source} {@code helm}, {@code storage}
 * {@code secret} or {@code configmap}) or from an Argo CD Application ({@code source} and
 * {@code storage} {@code argocd}). Values are never carried, only their digest.
 */
public record HelmRelease(
        String name,
        String namespace,
        int revision,
        String status,
        Chart chart,
        Instant firstDeployed,
        Instant lastDeployed,
        String description,
        String source,
        String storage,
        String valuesDigest,
        List<ResourceRef> resources,
        String destinationNamespace) {

    public HelmRelease {
        resources = resources == null ? List.of() : List.copyOf(resources);
    }

    /** The chart a release was made from. */
    public record Chart(String name, String version, String appVersion) {}

    /** An object a release manages. */
    public record ResourceRef(String apiVersion, String kind, String name, String namespace) {}
}
