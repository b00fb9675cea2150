-- The gateway's view of every job: written when the job is accepted, moved forward by status events.
CREATE TABLE conversions (
    id               uuid PRIMARY KEY,
    user_id          uuid NOT NULL,
    source_url       text NOT NULL,
    bitrate          text NOT NULL,
    status           text NOT NULL CHECK (status IN ('queued', 'processing', 'completed', 'failed')),
    -- queued 0 < processing 1 < completed|failed 2; updates require a higher rank, so states only move forward.
    status_rank      smallint NOT NULL,
    object_key       text,
    bytes            bigint,
    duration_seconds double precision,
    error_reason     text,
    error_message    text,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

-- A user's jobs, newest first, paged by (created_at, id).
CREATE INDEX conversions_user_created ON conversions (user_id, created_at DESC, id DESC);
