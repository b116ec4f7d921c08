package io.k8scollector.collector.enrichment;

import io.k8scollector.protocol.HelmRelease;
import io.k8scollector.protocol.HelmRelease.Chart;
import io.k8scollector.protocol.HelmRelease.ResourceRef;
import java.time.Instant;
import java.util.List;

/** The small summary kept of one revision of one Helm release: no values, no templates, no manifest text. */
record HelmRevision(
        String name,
        String namespace,
        int version,
        String status,
        Chart chart,
        Instant firstDeployed,
        Instant lastDeployed,
        String description,
        String valuesDigest,
        List<ResourceRef> resources) {

    static final String DEPLOYED = "deployed";

    boolean deployed() {
        return DEPLOYED.equals(status);
    }

    HelmRelease toRelease(String storage) {
        return new HelmRelease(name, namespace, version, status, chart, firstDeployed, lastDeployed, description,
                HelmReleases.SOURCE, storage, valuesDigest, resources, null);
    }
}
