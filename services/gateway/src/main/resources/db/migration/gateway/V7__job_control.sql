-- Job control (issue 12): cancel, delete, retry and progress.

-- A queued or processing job the user cancelled ends 'cancelled', a final state like completed and failed.
ALTER TABLE conversions DROP CONSTRAINT conversions_status_check;
ALTER TABLE conversions ADD CONSTRAINT conversions_status_check
    CHECK (status IN ('queued', 'processing', 'completed', 'failed', 'cancelled'));

-- A finished job the user deleted: its MP3 is removed and the row stays as a tombstone, so its links answer 410
-- (gone) rather than 404 until retention removes the row. Deleted jobs are not listed.
ALTER TABLE conversions ADD COLUMN deleted_at timestamptz;

-- Which attempt at the job runs (1, one more per retry of a failed job; capped by mp3.job-control.max-attempts).
-- Events carry it, so an event of an earlier attempt never moves the retried job.
ALTER TABLE conversions ADD COLUMN attempts integer NOT NULL DEFAULT 1;

-- How far the running attempt got (0-100), from conversion.progress events; null while not processing.
ALTER TABLE conversions ADD COLUMN progress smallint;
