-- Objects are found by uid through the primary key (their key is "u:" and the uid), so this
-- index only cost an insert per record. V2 is PostgreSQL's own (db/postgresql).
DROP INDEX records_uid;
