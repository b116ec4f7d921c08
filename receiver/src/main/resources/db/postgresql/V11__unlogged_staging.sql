-- PostgreSQL only (issue 13, "Performance"). What an uncommitted fetching staged is written
-- once per record and read once by its commit: without WAL for it, a first full fetching writes
-- each record's row to the WAL once (its version), not twice. Unlogged tables are emptied by
-- crash recovery and are not on standbys: a fetching open across a server crash or a failover
-- loses what it staged, and its commit answers 409 incomplete, as for pages lost in a crash
-- before (docs/receiver.md, "Durability"). SET UNLOGGED rewrites each table with its rows.
ALTER TABLE staged SET UNLOGGED;
ALTER TABLE staged_seen SET UNLOGGED;
ALTER TABLE staged_deletions SET UNLOGGED;
