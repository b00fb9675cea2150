-- A failed job the user retries (POST /conversions/{id}/retry) runs again as its next attempt, and that attempt's
-- outcome gets its own email: the record of sent emails is kept per job and attempt. Rows from before are the
-- first attempt.
ALTER TABLE sent_emails ADD COLUMN attempt integer NOT NULL DEFAULT 1;
ALTER TABLE sent_emails DROP CONSTRAINT sent_emails_pkey;
ALTER TABLE sent_emails ADD PRIMARY KEY (conversion_id, attempt);
