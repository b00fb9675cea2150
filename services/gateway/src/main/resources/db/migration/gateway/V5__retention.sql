-- Retention (mp3.retention.period, MP3_RETENTION): a finished job, its MP3 and its record are deleted after a
-- configured time; the retention route (routes/gateway/retention.camel.yaml) deletes them.

-- When the job's MP3 and record go away: set when the job reaches a final state (completed or failed), null
-- while it is unfinished. Download links expire then too.
ALTER TABLE conversions ADD COLUMN expires_at timestamptz;
-- Set when a retention sweep takes the row (SKIP LOCKED): another replica leaves it alone for one sweep interval,
-- and a row whose object could not be deleted is taken again one interval later.
ALTER TABLE conversions ADD COLUMN retention_claimed_at timestamptz;

-- Jobs finished before this version: the default retention (7 days) from their last change. A deployment with
-- another MP3_RETENTION sees those rows expire after 7 days; new ones follow the setting.
UPDATE conversions SET expires_at = updated_at + interval '7 days' WHERE status IN ('completed', 'failed');

-- What the retention sweep scans: finished jobs, soonest expiry first.
CREATE INDEX conversions_expiring ON conversions (expires_at) WHERE expires_at IS NOT NULL;
