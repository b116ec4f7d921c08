-- Snapshots that cost what changed (docs/receiver.md, "Storage layout"). A snapshot is no longer
-- a full copy of membership: every version of a record is one row of `versions`, valid from
-- the seq of the fetching whose commit made it until the seq of the commit that replaced or
-- deleted it (9223372036854775807 while it is current). A snapshot S reads the versions with
-- valid_from <= S < valid_to. Every table of cluster data leads with cluster_id, and bodies
-- are shared within a cluster only, so that the schema can be distributed by cluster.

CREATE TABLE versions (
    cluster_id   TEXT NOT NULL,
    class        CHAR(1) NOT NULL,
    record_key   TEXT NOT NULL,
    valid_from   BIGINT NOT NULL,
    valid_to     BIGINT NOT NULL,
    uid          TEXT,
    api_version  TEXT,
    api_group    TEXT,
    kind         TEXT,
    namespace    TEXT,
    name         TEXT,
    labels       TEXT,
    body_hash    ${bytes} NOT NULL,
    content_hash ${bytes} NOT NULL,
    PRIMARY KEY (cluster_id, class, record_key, valid_from)
);
CREATE INDEX versions_to ON versions (cluster_id, valid_to);
CREATE INDEX versions_from ON versions (cluster_id, valid_from);
CREATE INDEX versions_body ON versions (cluster_id, body_hash);
-- The current versions of one type: what a delta's completeTypes reads, in proportion to the type.
CREATE INDEX versions_open_type ON versions (cluster_id, class, api_group, kind) WHERE valid_to = 9223372036854775807;

-- What an uncommitted fetching sent that differs from the cluster's current state (a record
-- equal to its current version is only listed in staged_seen), and a delta's deletions.
CREATE TABLE staged (
    cluster_id   TEXT NOT NULL,
    fetching     BIGINT NOT NULL,
    class        CHAR(1) NOT NULL,
    record_key   TEXT NOT NULL,
    uid          TEXT,
    api_version  TEXT,
    api_group    TEXT,
    kind         TEXT,
    namespace    TEXT,
    name         TEXT,
    labels       TEXT,
    body_hash    ${bytes} NOT NULL,
    content_hash ${bytes} NOT NULL,
    PRIMARY KEY (cluster_id, fetching, class, record_key)
);
CREATE INDEX staged_body ON staged (cluster_id, body_hash);

-- One row per page: the keys (and body hashes) of the page's records that equal their current
-- version, packed, so that an unchanged record costs no row of its own; compared_at is the
-- cluster's current snapshot when the page came, whose versions merging keeps until the commit.
CREATE TABLE staged_seen (
    cluster_id  TEXT NOT NULL,
    fetching    BIGINT NOT NULL,
    digest      ${bytes} NOT NULL,
    class       CHAR(1) NOT NULL,
    entries     ${bytes} NOT NULL,
    compared_at BIGINT NOT NULL,
    PRIMARY KEY (cluster_id, fetching, digest)
);

CREATE TABLE staged_deletions (
    cluster_id  TEXT NOT NULL,
    fetching    BIGINT NOT NULL,
    class       CHAR(1) NOT NULL,
    record_key  TEXT NOT NULL,
    PRIMARY KEY (cluster_id, fetching, class, record_key)
);

-- A delta's base (its seq; null for a full fetching), whether it was a heartbeat, its report.
ALTER TABLE fetchings ADD COLUMN base BIGINT;
ALTER TABLE fetchings ADD COLUMN heartbeat BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE fetchings ADD COLUMN report TEXT;
CREATE INDEX fetchings_committed ON fetchings (cluster_id, committed_at);
CREATE UNIQUE INDEX fetchings_cluster_seq ON fetchings (cluster_id, seq);

-- Keys as the protocol's RecordKey spells them: an absent namespace or source is empty, not "null".
UPDATE records SET record_key = 'n:' || api_version || '/' || kind || '//' || name
WHERE class = 'o' AND uid IS NULL AND namespace IS NULL;
UPDATE records SET record_key = COALESCE(api_group, '') || '/' || COALESCE(namespace, '') || '/' || name
WHERE class = 'h' AND (api_group IS NULL OR namespace IS NULL);

-- Every committed snapshot keeps its content: consecutive snapshots of a cluster in which a
-- record has the same body make one version (gaps and islands over the snapshots' order).
WITH snaps AS (
    SELECT cluster_id, seq, ROW_NUMBER() OVER (PARTITION BY cluster_id ORDER BY seq) AS n
    FROM fetchings WHERE committed_at IS NOT NULL
), occurrences AS (
    SELECT s.cluster_id, s.n, r.class, r.record_key, r.uid, r.api_version, r.api_group, r.kind, r.namespace,
           r.name, r.labels, r.body_hash, r.content_hash,
           s.n - ROW_NUMBER() OVER (PARTITION BY s.cluster_id, r.class, r.record_key, r.body_hash ORDER BY s.n) AS island
    FROM records r JOIN snaps s ON s.seq = r.fetching
), runs AS (
    SELECT cluster_id, class, record_key, body_hash, content_hash, MIN(n) AS first_n, MAX(n) AS last_n,
           MIN(uid) AS uid, MIN(api_version) AS api_version, MIN(api_group) AS api_group, MIN(kind) AS kind,
           MIN(namespace) AS namespace, MIN(name) AS name, MIN(labels) AS labels
    FROM occurrences GROUP BY cluster_id, class, record_key, body_hash, content_hash, island
)
INSERT INTO versions (cluster_id, class, record_key, valid_from, valid_to, uid, api_version, api_group, kind,
                      namespace, name, labels, body_hash, content_hash)
SELECT r.cluster_id, r.class, r.record_key, f.seq, COALESCE(t.seq, 9223372036854775807), r.uid, r.api_version,
       r.api_group, r.kind, r.namespace, r.name, r.labels, r.body_hash, r.content_hash
FROM runs r
JOIN snaps f ON f.cluster_id = r.cluster_id AND f.n = r.first_n
LEFT JOIN snaps t ON t.cluster_id = r.cluster_id AND t.n = r.last_n + 1;

INSERT INTO staged (cluster_id, fetching, class, record_key, uid, api_version, api_group, kind, namespace, name,
                    labels, body_hash, content_hash)
SELECT f.cluster_id, r.fetching, r.class, r.record_key, r.uid, r.api_version, r.api_group, r.kind, r.namespace,
       r.name, r.labels, r.body_hash, r.content_hash
FROM records r JOIN fetchings f ON f.seq = r.fetching WHERE f.committed_at IS NULL;

-- Bodies by cluster: a body two clusters share is stored once for each.
CREATE TABLE cluster_bodies (
    cluster_id TEXT NOT NULL,
    hash       ${bytes} NOT NULL,
    body       ${bytes} NOT NULL,
    PRIMARY KEY (cluster_id, hash)
);
INSERT INTO cluster_bodies (cluster_id, hash, body)
SELECT u.cluster_id, u.hash, b.body
FROM (SELECT DISTINCT f.cluster_id, r.body_hash AS hash FROM records r JOIN fetchings f ON f.seq = r.fetching) u
JOIN bodies b ON b.hash = u.hash;

DROP TABLE records;
DROP TABLE bodies;
ALTER TABLE cluster_bodies RENAME TO bodies;
