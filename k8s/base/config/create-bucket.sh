#!/bin/sh
# Makes sure the bucket exists with its lifecycle rule, and that the worker's and the gateway's S3 users exist, each
# with its own policy limited to that bucket. Safe to run any number of times. Shell built-ins, cat, sleep and mc
# only: the mc image is minimal.
set -eu

# RETENTION: the gateway's MP3_RETENTION (a Spring duration such as 7d, 36h, 90m). The gateway's retention route
# deletes each MP3 when its job expires; the bucket's lifecycle rule is the backstop for objects it missed (a row
# deleted by hand, a failed deletion). S3 expires objects in whole days counted from their upload, rounded to the
# next midnight UTC, so the rule is the retention in days rounded up, plus one: it never takes a file whose link
# still works.
lifecycle_days() { # DURATION
  value="$1"
  number="${value%[a-z]*}"
  number="${number%[a-z]}"
  unit="${value#"$number"}"
  case "$number" in
    ''|*[!0-9]*) echo "RETENTION=$value is not a duration like 7d, 36h or 90m" >&2; return 1 ;;
  esac
  case "$unit" in
    d) per_day=1 ;;
    h) per_day=24 ;;
    m) per_day=1440 ;;
    s|'') per_day=86400 ;;
    *) echo "RETENTION=$value: unit $unit is not one of d, h, m, s" >&2; return 1 ;;
  esac
  echo $(( (number + per_day - 1) / per_day + 1 ))
}
days="$(lifecycle_days "${RETENTION:-7d}")"

# MinIO may still be starting: wait for it instead of failing the Job attempt.
tries=0
until mc alias set mp3 "$MINIO_URL" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "MinIO at $MINIO_URL did not answer" >&2
    exit 1
  fi
  sleep 5
done

mc mb --ignore-existing "mp3/$BUCKET"
mc anonymous set none "mp3/$BUCKET"
# Replaces the bucket's whole lifecycle configuration with these rules (so a rerun or a changed retention leaves
# exactly these). Uploaded sources (uploads/) are deleted by the worker once their job completed; a failed job's
# upload stays for a retry and goes with the same retention as the MP3s.
lifecycle="${TMPDIR:-/tmp}/lifecycle.json"
cat > "$lifecycle" <<LIFECYCLE
{"Rules": [{"ID": "mp3-retention", "Status": "Enabled", "Filter": {"Prefix": "users/"}, "Expiration": {"Days": $days}},
  {"ID": "mp3-upload-retention", "Status": "Enabled", "Filter": {"Prefix": "uploads/"}, "Expiration": {"Days": $days}}]}
LIFECYCLE
mc ilm import "mp3/$BUCKET" < "$lifecycle"

# One user and one policy per service, on this bucket only, each object action on its prefix only. MP3s (users/):
# the worker uploads them (and may read them back); the gateway reads them (downloads) and deletes them when their
# jobs expire (retention). Uploaded sources (uploads/): the gateway writes them (and deletes one whose job it
# refused); the worker reads them and deletes them once converted. Both list the bucket (the S3 component checks
# the bucket at start-up).
policy() { # NAME ACTIONS-ON-users/ ACTIONS-ON-uploads/
  file="${TMPDIR:-/tmp}/$1-policy.json"
  cat > "$file" <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket"], "Resource": ["arn:aws:s3:::$BUCKET"]},
    {"Effect": "Allow", "Action": [$2], "Resource": ["arn:aws:s3:::$BUCKET/users/*"]},
    {"Effect": "Allow", "Action": [$3], "Resource": ["arn:aws:s3:::$BUCKET/uploads/*"]}
  ]
}
POLICY
  mc admin policy create mp3 "$1" "$file"
}

user() { # ACCESS-KEY SECRET-KEY POLICY
  # Adding an existing user updates its secret key, so a rotated secret takes effect here.
  mc admin user add mp3 "$1" "$2"
  case "$(mc admin user info mp3 "$1")" in
    *"$3"*) ;;
    *) mc admin policy attach mp3 "$3" --user "$1" ;;
  esac
}

policy mp3-worker '"s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"' \
  '"s3:GetObject", "s3:DeleteObject"'
policy mp3-gateway '"s3:GetObject", "s3:DeleteObject"' '"s3:PutObject", "s3:DeleteObject"'
user "$WORKER_S3_ACCESS_KEY" "$WORKER_S3_SECRET_KEY" mp3-worker
user "$GATEWAY_S3_ACCESS_KEY" "$GATEWAY_S3_SECRET_KEY" mp3-gateway
echo "bucket $BUCKET (objects expire after $days days) and users $WORKER_S3_ACCESS_KEY (MP3s read-write, uploads read-delete), $GATEWAY_S3_ACCESS_KEY (MP3s read-delete, uploads write-delete) are ready"
