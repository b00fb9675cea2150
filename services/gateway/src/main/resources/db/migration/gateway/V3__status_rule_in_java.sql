-- The rule for status changes lives in the gateway's code (JobStatus.canMoveTo): each status UPDATE names the
-- states a job may move from in its WHERE clause, so status_rank is no longer read or written.
--
-- Replicas of the previous version still write status_rank: while they run beside this one during a rolling
-- update, their intakes fail (the client may retry) and their status updates are requeued for a replica of this
-- version to apply.
DROP INDEX conversions_unfinished;
ALTER TABLE conversions DROP COLUMN status_rank;

-- Jobs that are not finished, oldest update first: what the reconciler and the stuck-job check scan.
CREATE INDEX conversions_unfinished ON conversions (updated_at) WHERE status IN ('queued', 'processing');
