-- The login and registration throttles' state (ThrottleBuckets): one Bucket4j token bucket per key, so every
-- auth replica counts against the same limits and a restart forgets nothing. The id is a kind and a SHA-256 of
-- the client address and email it counts (never the email itself); the state is Bucket4j's serialised bucket.
-- expires_at (epoch milliseconds) is when the bucket has refilled, after which the row means the same as no row
-- and the cleanup deletes it. Bucket4j first inserts a row with only its id (and fills it in the next
-- transaction): the default 0 makes such a row expired, so one left behind by a crash is cleaned up too.
CREATE TABLE throttle_buckets (
  id         text   PRIMARY KEY,
  state      bytea,
  expires_at bigint NOT NULL DEFAULT 0
);

CREATE INDEX throttle_buckets_expires_at ON throttle_buckets (expires_at);
