-- The record of sent emails moved to the notifier's own database (its table sent_emails); the internal API that
-- kept it here (/internal/notifications) is gone. Rows recorded here are not carried over: a job whose event is
-- delivered again after the upgrade is covered by Resend's Idempotency-Key for 24 hours, as before the record.
DROP TABLE notifications;
