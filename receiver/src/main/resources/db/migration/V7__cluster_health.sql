-- What each cluster's collector was last seen doing, for its health (GET /v1/clusters/{id}):
-- the time of its last request of any kind, what its last start said of it (version, mode,
-- heartbeat interval), its last commit (time, report, redaction key) and whether its last word
-- was an abort (failing until a later commit). Keyed by cluster alone, like every table of
-- cluster data, so that a distributed layout can place it with its cluster's other rows.
CREATE TABLE cluster_health (
    cluster_id                TEXT PRIMARY KEY,
    last_seen_at              BIGINT,
    collector_version         TEXT,
    mode                      TEXT,
    heartbeat_seconds         INTEGER,
    last_commit_at            BIGINT,
    last_commit_fetching_id   TEXT,
    last_report               TEXT,
    redaction_key_id          TEXT,
    previous_redaction_key_id TEXT,
    redaction_key_since       TEXT,
    failing                   BOOLEAN NOT NULL DEFAULT FALSE
);

-- last_commit_fetching_id tells a commit repeated after a lost answer (which changes nothing)
-- from a new one.
-- Clusters from before: last seen at their newest request the fetchings recorded (a start or a
-- page), their commit or their abort, whichever is latest; failing when the abort came after
-- the current snapshot's commit (what V6 meant by it); the rest is learnt from the next start.
INSERT INTO cluster_health (cluster_id, last_seen_at, collector_version, last_commit_at, last_commit_fetching_id,
                            failing)
SELECT c.id,
       CASE WHEN c.abort_received_at IS NOT NULL AND c.abort_received_at > COALESCE(s.seen, -1)
            THEN c.abort_received_at ELSE s.seen END,
       (SELECT f2.collector_version FROM fetchings f2 WHERE f2.cluster_id = c.id ORDER BY f2.seq DESC LIMIT 1),
       f.committed_at,
       f.fetching_id,
       CASE WHEN c.abort_received_at IS NOT NULL AND (f.committed_at IS NULL OR c.abort_received_at > f.committed_at)
            THEN TRUE ELSE FALSE END
FROM clusters c
LEFT JOIN fetchings f ON f.seq = c.current_fetching
LEFT JOIN (SELECT cluster_id,
                  MAX(CASE WHEN committed_at IS NOT NULL AND committed_at > last_seen_at
                           THEN committed_at ELSE last_seen_at END) AS seen
           FROM fetchings GROUP BY cluster_id) s ON s.cluster_id = c.id;
