package io.k8scollector.receiver.query;

import io.k8scollector.protocol.HelmRelease;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Helm charts across clusters: each chart (by name) with the releases made from it and the
 * newest version any of them runs, so that a release on an older version shows. Releases
 * without a chart (an Argo CD application of a plain directory) are left out.
 */
final class Charts {

    /** A chart and its releases, by cluster, namespace and name; {@code outdated}: how many run an older version. */
    record ChartUse(String chart, String newestVersion, int outdated, List<String> clusters, List<Release> releases) {}

    /** A release of a chart in a cluster; {@code outdated} when its version is older than the chart's newest. */
    record Release(String cluster, String namespace, String name, String version, String appVersion, int revision,
            String status, String source, String storage, String destinationNamespace, boolean outdated) {}

    /** A cluster's release, as read from its current snapshot. */
    record ClusterRelease(String cluster, HelmRelease release) {}

    private Charts() {}

    /** Every chart of {@code releases}, by name. */
    static List<ChartUse> of(List<ClusterRelease> releases) {
        Map<String, List<ClusterRelease>> byChart = new TreeMap<>();
        for (ClusterRelease r : releases) {
            HelmRelease.Chart chart = r.release().chart();
            if (chart != null && chart.name() != null) {
                byChart.computeIfAbsent(chart.name(), k -> new ArrayList<>()).add(r);
            }
        }
        List<ChartUse> charts = new ArrayList<>();
        byChart.forEach((name, uses) -> {
            String newest = uses.stream().map(u -> version(u.release())).max(ChartVersion.ORDER).orElse("");
            List<Release> list = uses.stream()
                    .map(u -> {
                        HelmRelease r = u.release();
                        return new Release(u.cluster(), r.namespace(), r.name(), version(r), r.chart().appVersion(),
                                r.revision(), r.status(), r.source(), r.storage(), r.destinationNamespace(),
                                ChartVersion.ORDER.compare(version(r), newest) < 0);
                    })
                    .sorted(Comparator.comparing(Release::cluster)
                            .thenComparing(r -> r.namespace() == null ? "" : r.namespace())
                            .thenComparing(r -> r.name() == null ? "" : r.name()))
                    .toList();
            charts.add(new ChartUse(name, newest, (int) list.stream().filter(Release::outdated).count(),
                    list.stream().map(Release::cluster).distinct().toList(), list));
        });
        return charts;
    }

    private static String version(HelmRelease release) {
        return release.chart().version() == null ? "" : release.chart().version();
    }
}
