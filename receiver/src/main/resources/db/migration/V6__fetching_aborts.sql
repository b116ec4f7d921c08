-- Protocol 1.1 aborts. An aborted fetching keeps its row, closed = 'FETCHING_ABORTED' and with
-- no records, so that its fetchingId is never started again. The cluster keeps its last abort
-- (which fetching, why, when the run ended, when it was received) to tell whether its
-- collector is healthy: failing when the abort came after the last commit.
ALTER TABLE clusters ADD COLUMN abort_fetching_id TEXT;
ALTER TABLE clusters ADD COLUMN abort_reason TEXT;
ALTER TABLE clusters ADD COLUMN abort_message TEXT;
ALTER TABLE clusters ADD COLUMN abort_finished_at BIGINT;
ALTER TABLE clusters ADD COLUMN abort_received_at BIGINT;
