-- Keys get scopes (ingest: log in and run fetchings; read: query and sign in to the page).
-- Keys made before could do both, so they keep both: nothing in place stops working. Keys made
-- from now on get what `keys create --scope` says (default ingest).
ALTER TABLE access_keys ADD COLUMN scopes TEXT NOT NULL DEFAULT 'ingest,read';

-- A fetching refused for good at its commit (stale, its cluster bound elsewhere since, a
-- malformed commit): the refusal's reason. Such a fetching no longer counts as open, and a
-- later page or commit for it gets the same refusal.
ALTER TABLE fetchings ADD COLUMN closed TEXT;
