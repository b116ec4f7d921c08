-- Bulk ingest (issue 13, "Performance"): every new version is open, yet the queries that range
-- over valid_to (changes, retention's merge, the content seq) read closed versions only, and those
-- that want the open ones take the primary key or versions_open_type. An index over the closed
-- versions alone costs a new version nothing; each of those queries names the same condition
-- ("valid_to < 2^63-1", literally, so that both planners match the partial index).
DROP INDEX versions_to;
CREATE INDEX versions_closed ON versions (cluster_id, valid_to) WHERE valid_to < 9223372036854775807;
