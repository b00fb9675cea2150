-- Uploaded sources (POST /conversions as multipart/form-data): the job's source is then an object in storage
-- (uploads/{userId}/{jobId}) and the file name the user gave it, instead of a URL. Exactly one of the two is set.
ALTER TABLE conversions ALTER COLUMN source_url DROP NOT NULL;
ALTER TABLE conversions ADD COLUMN source_object_key text;
ALTER TABLE conversions ADD COLUMN source_filename text;
ALTER TABLE conversions ADD CONSTRAINT conversions_one_source
    CHECK ((source_url IS NULL) <> (source_object_key IS NULL));

-- Idempotency-Key on POST /conversions: a key is the user's, and names one job and the request that made it
-- (fingerprint: SHA-256 over the normalized request, the uploaded bytes included). The primary key makes
-- concurrent requests with one key create one job; a key older than 24 hours is taken over by the next request
-- that names it. The row goes with its job (retention, a job refused by the limits).
CREATE TABLE idempotency_keys (
    user_id         uuid NOT NULL,
    idempotency_key text NOT NULL,
    fingerprint     text NOT NULL,
    job_id          uuid NOT NULL REFERENCES conversions (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);
CREATE INDEX idempotency_keys_job ON idempotency_keys (job_id);
