-- The notifier's record of the one email each job gets (SentEmails). The row is claimed before anything is sent
-- (status 'sending': an INSERT that does nothing when the job has a row, so concurrent and redelivered events
-- agree on one kind) and finished once Resend answered. Resend forgets idempotency keys after 24 hours; this
-- record does not, so an event delivered again, however late, sends nothing.
CREATE TABLE sent_emails (
    conversion_id uuid PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('completed', 'failed')),
    -- sending: claimed, Resend's answer not recorded yet; sent: Resend took it (email_id is its id);
    -- duplicate: Resend had taken it already under the same Idempotency-Key; rejected: Resend refused it for good.
    status        text NOT NULL CHECK (status IN ('sending', 'sent', 'duplicate', 'rejected')),
    email_id      text,
    claimed_at    timestamptz NOT NULL,
    finished_at   timestamptz
);
