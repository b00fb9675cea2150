-- Accounts people can trust: verified addresses, single-use links, and an outbox for the messages about them.

-- When the user proved the address (clicked the verification link, or set a password through a reset link); null
-- until then. Access tokens carry it as email_verified, and conversions need it. Accounts from before verification
-- existed start unverified: registering again sends them a fresh verification link.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;

-- The single-use links' tokens (AccountTokens). Only the SHA-256 of the random 256-bit token is stored, never the
-- token: a copy of this table opens no account. A token belongs to one user (deleted with them) and one purpose,
-- expires, and is spent (used_at) by the statement that uses it; a spent or expired row stays until the cleanup
-- so that it is told apart from an unknown token (410 instead of 400). A password change spends the user's other
-- reset tokens.
CREATE TABLE account_tokens (
  token_hash bytea       PRIMARY KEY,
  user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose    text        NOT NULL CHECK (purpose IN ('verify', 'password-reset')),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX account_tokens_user ON account_tokens (user_id);
CREATE INDEX account_tokens_expires_at ON account_tokens (expires_at);

-- The transactional outbox (Outbox): a message is written by the same statement as the change it reports (a new
-- token, a deleted user), so either both happen or neither; the relay route publishes it to RabbitMQ with a
-- publisher confirm and then deletes the row (at least once; consumers are idempotent on the message id).
-- user_id lets an account deletion remove the user's unsent emails with the account.
CREATE TABLE outbox (
  id          uuid        PRIMARY KEY,
  user_id     uuid        NOT NULL,
  routing_key text        NOT NULL,
  payload     text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX outbox_created_at ON outbox (created_at);
