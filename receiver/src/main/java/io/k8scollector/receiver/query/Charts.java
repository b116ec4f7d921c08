package io.k8scollector.receiver.query;

import io.k8scollector.protocol.HelmRelease;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Helm charts across clusters: each chart with the releases made from it and the newest version
 * any of them runs, so that a release on an older version shows. A chart is its name and the
 * release records' {@code source} ({@code helm}: Helm's own storage; {@code argocd}: an Argo CD
 * application): the records carry no chart repository, and a chart that Argo CD renders and one
 * that Helm installed under the same name are as likely to come from different repositories as
 * not, so they are kept apart rather than compared. Releases without a chart are left out.
 */
final class Charts {

    /**
     * A chart and its releases, by cluster, namespace and name; {@code outdated}: how many run an
     * older version. {@code source}: its releases' (null when they name none).
     */
    record ChartUse(String chart, String source, String newestVersion, int outdated, List<String> clusters,
            List<Release> releases) {

        /** What a page of charts is ordered and continued by: name, then source. */
        String key() {
            return chart + "\n" + (source == null ? "" : source);
        }
    }

    /** A release of a chart in a cluster; {@code outdated} when its version is older than the chart's newest. */
    record Release(String cluster, String namespace, String name, String version, String appVersion, int revision,
            String status, String source, String storage, String destinationNamespace, boolean outdated) {}

    /** A cluster's release, as read from its current snapshot. */
    record ClusterRelease(String cluster, HelmRelease release) {}

    private Charts() {}

    /** Every chart of {@code releases}, by name, then source. */
    static List<ChartUse> of(List<ClusterRelease> releases) {
        Map<List<String>, List<ClusterRelease>> byChart = new TreeMap<>(
                Comparator.<List<String>, String>comparing(k -> k.get(0)).thenComparing(k -> k.get(1)));
        for (ClusterRelease r : releases) {
            HelmRelease.Chart chart = r.release().chart();
            if (chart != null && chart.name() != null) {
                String source = r.release().source() == null ? "" : r.release().source();
                byChart.computeIfAbsent(List.of(chart.name(), source), k -> new ArrayList<>()).add(r);
            }
        }
        List<ChartUse> charts = new ArrayList<>();
        byChart.forEach((key, uses) -> {
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
            charts.add(new ChartUse(key.get(0), key.get(1).isEmpty() ? null : key.get(1), newest, (int) list.stream().filter(Release::outdated).count(),
                    list.stream().map(Release::cluster).distinct().toList(), list));
        });
        return charts;
    }

    private static String version(HelmRelease release) {
        return release.chart().version() == null ? "" : release.chart().version();
    }
}
