-- What the gateway needs to recover a job on its own and to record that its user was told.

-- The job message can be rebuilt from the row (a crash between INSERT and publish, a job stuck past its
-- deadline, or a job that is failed on its user's behalf): email and name came with the access token.
ALTER TABLE conversions ADD COLUMN email text;
ALTER TABLE conversions ADD COLUMN name text;
-- Set once the broker confirmed the job message (NULL: never confirmed; the reconciler publishes it).
ALTER TABLE conversions ADD COLUMN published_at timestamptz;
-- How often the stuck-job check has re-queued the job.
ALTER TABLE conversions ADD COLUMN requeues integer NOT NULL DEFAULT 0;

-- Jobs that are not finished, oldest update first: what the reconciler and the stuck-job check scan.
CREATE INDEX conversions_unfinished ON conversions (updated_at) WHERE status_rank < 2;

-- One email per job, recorded by the notifier through the internal API once Resend took it (or refused it for
-- good). Resend forgets idempotency keys after 24 hours; this record does not, so an event redelivered or
-- replayed later sends nothing. The job id is the key: one email per job, whichever event comes first.
CREATE TABLE notifications (
    conversion_id uuid PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('completed', 'failed')),
    outcome       text NOT NULL CHECK (outcome IN ('sent', 'duplicate', 'rejected')),
    email_id      text,
    recorded_at   timestamptz NOT NULL
);
