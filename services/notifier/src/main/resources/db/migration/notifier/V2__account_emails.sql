-- The notifier's record of account emails (AccountEmails): one row per account.email message, claimed before
-- anything is sent (an INSERT that does nothing when the message has a row, so a redelivered message sends
-- nothing) and finished once Resend answered. No address and no link are stored: the user's id is enough to delete
-- the rows with the account (account.deleted), and the link's token must not outlive its email.
CREATE TABLE account_emails (
    message_id  uuid PRIMARY KEY,
    user_id     uuid NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('verify', 'already-registered', 'password-reset')),
    status      text NOT NULL CHECK (status IN ('sending', 'sent', 'duplicate', 'rejected')),
    email_id    text,
    claimed_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);

CREATE INDEX account_emails_user ON account_emails (user_id);

-- Whose job each conversion email was about, so that an account deletion removes these rows too. Rows from before
-- this column have none (they name a job and Resend's email id, nothing of a person).
ALTER TABLE sent_emails ADD COLUMN user_id uuid;
CREATE INDEX sent_emails_user ON sent_emails (user_id);
