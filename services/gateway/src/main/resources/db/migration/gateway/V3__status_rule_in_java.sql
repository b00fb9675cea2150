-- The rule for status changes lives in the gateway's code (JobStatus.canMoveTo): each status UPDATE names the
-- states a job may move from in its WHERE clause, so status_rank is no longer read or written.
--
-- Replicas of the previous version still name status_rank. While one runs beside this version during a rolling
-- update, its intakes fail (an opaque 500 the client may retry), its recovery checks fail and run again, and the
-- status events it takes are requeued until a replica of this version applies them; nothing is lost.
DROP INDEX conversions_unfinished;
ALTER TABLE conversions DROP COLUMN status_rank;

-- Jobs that are not finished, oldest update first: what the reconciler and the stuck-job check scan.
CREATE INDEX conversions_unfinished ON conversions (updated_at) WHERE status IN ('queued', 'processing');
