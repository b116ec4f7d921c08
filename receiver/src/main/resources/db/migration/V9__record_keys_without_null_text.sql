-- The keying rule is the protocol's RecordKey now: a record without a namespace (a cluster-scoped
-- object without a uid, a Helm release without a namespace) is keyed with an empty namespace,
-- where the receiver wrote the text "null" before. Stored keys are rewritten to the rule, so that
-- the next snapshot's records match their previous rows instead of looking deleted and added.
-- A key the rule already holds in the same fetching is left as it is.
UPDATE records
SET record_key = 'n:' || api_version || '/' || kind || '//' || name
WHERE class = 'o'
  AND namespace IS NULL
  AND uid IS NULL
  AND record_key = 'n:' || api_version || '/' || kind || '/null/' || name
  AND NOT EXISTS (SELECT 1 FROM records other
                  WHERE other.fetching = records.fetching AND other.class = 'o'
                    AND other.record_key = 'n:' || records.api_version || '/' || records.kind || '//' || records.name);

UPDATE records
SET record_key = api_group || '//' || name
WHERE class = 'h'
  AND namespace IS NULL
  AND record_key = api_group || '/null/' || name
  AND NOT EXISTS (SELECT 1 FROM records other
                  WHERE other.fetching = records.fetching AND other.class = 'h'
                    AND other.record_key = records.api_group || '//' || records.name);
