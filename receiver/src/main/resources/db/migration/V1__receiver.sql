-- One schema for SQLite and PostgreSQL; ${serial} and ${bytes} are the dialect's spellings.

CREATE TABLE clusters (
    id               TEXT PRIMARY KEY,
    unique_id        TEXT NOT NULL,
    current_fetching BIGINT
);

-- One row per fetching; committed_at is null until its commit.
CREATE TABLE fetchings (
    seq               ${serial},
    cluster_id        TEXT NOT NULL,
    fetching_id       TEXT NOT NULL,
    unique_id         TEXT NOT NULL,
    collector_version TEXT,
    started_at        BIGINT NOT NULL,
    last_seen_at      BIGINT NOT NULL,
    committed_at      BIGINT,
    previous          BIGINT,
    object_count      BIGINT,
    added             BIGINT,
    changed           BIGINT,
    deleted           BIGINT,
    skipped           TEXT,
    UNIQUE (cluster_id, fetching_id)
);

-- Record bodies, content-addressed: a body unchanged between snapshots is stored once.
CREATE TABLE bodies (
    hash ${bytes} PRIMARY KEY,
    body ${bytes} NOT NULL
);

-- Which records a fetching holds: class o (object), h (Helm release), t (type), r (tree).
CREATE TABLE records (
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
    carried      BOOLEAN NOT NULL,
    PRIMARY KEY (fetching, class, record_key)
);
CREATE INDEX records_body ON records (body_hash);
CREATE INDEX records_uid ON records (fetching, uid);

CREATE TABLE access_keys (
    access_key  TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    clusters    TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked     BOOLEAN NOT NULL
);

CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    access_key TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX tokens_key ON tokens (access_key);
