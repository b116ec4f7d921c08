-- PostgreSQL only. Bodies were kept uncompressed in the row (V2) because pglz cost the server
-- more CPU than anything else on insert. Uncompressed, though, a 4 KB body costs 4 KB of heap
-- and 4 KB of WAL, and writing those bytes (extending the table one 8 KB block at a time,
-- zero-filling new WAL segments, copying both into the page cache) became most of the server's
-- CPU. lz4 compresses a body at a few GB/s and halves it or better: the body column is
-- compressed with lz4 and stays in the row (STORAGE MAIN with the lowest toast_tuple_target
-- compresses every body over 2 KB, and moves one out to the TOAST table only when it is still
-- over 8 KB compressed). The 32-byte hash is PLAIN so that it is never compressed or moved.
-- Only new values are affected: bodies stored before stay as they are, and read the same.
-- A PostgreSQL built without lz4 keeps the V2 layout.
DO $$
BEGIN
    ALTER TABLE bodies ALTER COLUMN body SET COMPRESSION lz4;
    ALTER TABLE bodies ALTER COLUMN body SET STORAGE MAIN;
    ALTER TABLE bodies ALTER COLUMN hash SET STORAGE PLAIN;
    ALTER TABLE bodies SET (toast_tuple_target = 128);
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'This PostgreSQL has no lz4: bodies stay uncompressed in the row.';
END $$;
