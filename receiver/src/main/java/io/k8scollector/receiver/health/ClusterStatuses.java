package io.k8scollector.receiver.health;

import io.k8scollector.receiver.store.ClusterView;
import io.k8scollector.receiver.store.Snapshots;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Each cluster's snapshot (from the store) joined with its collector's activity, and its health now. */
public final class ClusterStatuses {

    private final Snapshots snapshots;
    private final CollectorActivity activity;
    private final HealthRule rule;
    private final Clock clock;

    public ClusterStatuses(Snapshots snapshots, CollectorActivity activity, HealthRule rule, Clock clock) {
        this.snapshots = snapshots;
        this.activity = activity;
        this.rule = rule;
        this.clock = clock;
    }

    /** Every cluster, by id. */
    public List<ClusterStatus> list() {
        Map<String, CollectorActivity.Activity> rows = activity.all();
        Instant now = clock.instant();
        List<ClusterStatus> statuses = new ArrayList<>();
        for (ClusterView cluster : snapshots.clusters()) {
            statuses.add(status(cluster, rows.get(cluster.id()), now));
        }
        return statuses;
    }

    /** The cluster {@code id}, if there is one. */
    public Optional<ClusterStatus> of(String id) {
        return list().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    private ClusterStatus status(ClusterView cluster, CollectorActivity.Activity row, Instant now) {
        ClusterView.LastAbort abort = cluster.lastAbort();
        ClusterStatus.LastAbort lastAbort = abort == null ? null : new ClusterStatus.LastAbort(
                abort.fetchingId(), abort.reason(), abort.message(), abort.receivedAt(), abort.finishedAt());
        if (row == null) {
            // A cluster the store knows but no start recorded yet (a start being written on another replica).
            return new ClusterStatus(cluster.id(), cluster.clusterUniqueId(), cluster.currentFetchingId(),
                    cluster.committedAt(), cluster.objectCount(), null, null, null, null, null, lastAbort, null, null, null,
                    rule.of(false, cluster.currentFetchingId() != null, cluster.committedAt(), null, null, now));
        }
        return new ClusterStatus(cluster.id(), cluster.clusterUniqueId(), cluster.currentFetchingId(),
                cluster.committedAt(), cluster.objectCount(), row.mode(), row.collectorVersion(), row.heartbeatSeconds(),
                row.lastSeenAt(), row.lastReport(), lastAbort, row.redactionKeyId(), row.previousRedactionKeyId(),
                row.redactionKeySince(),
                rule.of(row.failing(), cluster.currentFetchingId() != null, row.lastSeenAt(), row.mode(),
                        row.heartbeatSeconds(), now));
    }
}
