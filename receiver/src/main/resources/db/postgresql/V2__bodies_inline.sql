-- PostgreSQL only. A body over 2 KB (most objects) was compressed with pglz, and moved to the
-- TOAST table, on insert: most of the database server's CPU under load. Bodies up to the
-- largest target (8160 bytes) now stay in the row, as sent; larger ones are still compressed.
ALTER TABLE bodies SET (toast_tuple_target = 8160);
