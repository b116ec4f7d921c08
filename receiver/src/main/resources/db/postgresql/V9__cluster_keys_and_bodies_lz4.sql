-- PostgreSQL only. V8 made bodies a new table: it gets V4's storage settings again (lz4 in the
-- row). fetchings leads with cluster_id like every table of cluster data, so that the schema
-- can be distributed by cluster (Citus) as it is; SQLite keeps its rowid and gets the same
-- key as a unique index.
DO $$
BEGIN
    ALTER TABLE bodies ALTER COLUMN body SET COMPRESSION lz4;
    ALTER TABLE bodies ALTER COLUMN body SET STORAGE MAIN;
    ALTER TABLE bodies ALTER COLUMN hash SET STORAGE PLAIN;
    ALTER TABLE bodies SET (toast_tuple_target = 128);
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'This PostgreSQL has no lz4: bodies stay uncompressed in the row.';
END $$;
DROP INDEX fetchings_cluster_seq;
ALTER TABLE fetchings DROP CONSTRAINT fetchings_pkey;
ALTER TABLE fetchings ADD PRIMARY KEY (cluster_id, seq);
