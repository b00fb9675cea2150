-- Users of the service. Emails are stored normalised (trimmed, lower-case); the unique index on lower(email)
-- still guards against any writer that forgets, and it is what makes a taken email a 409 without a race.
CREATE TABLE users (
  id            uuid        PRIMARY KEY,
  email         text        NOT NULL,
  name          text        NOT NULL,
  password_hash text        NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
