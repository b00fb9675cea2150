-- Accounts deleted in auth (account.deleted, or the gateway's own DELETE /account answer): their access tokens
-- stay well signed until they expire, so the gateway refuses them by this list (401). A row is kept for a day,
-- far longer than an access token lives, then the cleanup deletes it. Nothing else of the user is kept here.
CREATE TABLE deleted_accounts (
  user_id    uuid        PRIMARY KEY,
  deleted_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX deleted_accounts_deleted_at ON deleted_accounts (deleted_at);
