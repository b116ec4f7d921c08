package io.k8scollector.receiver.health;

import io.k8scollector.protocol.Commit;
import java.time.Instant;

/**
 * One cluster as {@code GET /v1/clusters/{id}} and the cluster listing show it: its current
 * snapshot, what its collector last said of itself and did, and its {@link Health}. Null fields
 * are not known (yet) and left out of the JSON.
 *
 * @param mode {@code cronjob} or {@code continuous} from the collector's last start; null from a 1.0 collector
 * @param heartbeatSeconds a continuous collector's heartbeat interval
 * @param lastSeenAt the time of the collector's last request of any kind
 * @param lastReport the report of the last commit (protocol 1.1)
 * @param redactionKeyId the redaction key the last report named
 * @param previousRedactionKeyId the key the report before it named: when the two differ, digests
 *     of snapshots before {@code redactionKeySince} cannot be compared with those after
 * @param redactionKeySince the fetching whose report first named {@code redactionKeyId}
 */
public record ClusterStatus(
        String id, String clusterUniqueId, String currentFetchingId, Instant committedAt, Long objectCount,
        String mode, String collectorVersion, Integer heartbeatSeconds, Instant lastSeenAt, Commit.Report lastReport,
        LastAbort lastAbort, String redactionKeyId, String previousRedactionKeyId, String redactionKeySince,
        Health health) {

    /**
     * The last abort the cluster's collector sent.
     *
     * @param at when this receiver received it
     * @param finishedAt when the run ended, by the collector's clock (null when it did not say)
     */
    public record LastAbort(String fetchingId, String reason, String message, Instant at, Instant finishedAt) {}
}
