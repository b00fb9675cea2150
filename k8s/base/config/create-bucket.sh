#!/bin/sh
# Makes sure the bucket exists and that the worker's and the gateway's S3 users exist, each with its own policy
# limited to that bucket. Safe to run any number of times. Shell built-ins, cat, sleep and mc only: the mc image is minimal.
set -eu

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

# One user and one policy per service, on this bucket only. The worker uploads MP3s (and may read them back); the
# gateway only reads them (downloads) and lists the bucket (the S3 component checks the bucket at start-up).
# Nothing deletes objects, so nobody may.
policy() { # NAME ACTIONS-ON-OBJECTS
  file="${TMPDIR:-/tmp}/$1-policy.json"
  cat > "$file" <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket"], "Resource": ["arn:aws:s3:::$BUCKET"]},
    {"Effect": "Allow", "Action": [$2], "Resource": ["arn:aws:s3:::$BUCKET/*"]}
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

policy mp3-worker '"s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"'
policy mp3-gateway '"s3:GetObject"'
user "$WORKER_S3_ACCESS_KEY" "$WORKER_S3_SECRET_KEY" mp3-worker
user "$GATEWAY_S3_ACCESS_KEY" "$GATEWAY_S3_SECRET_KEY" mp3-gateway
echo "bucket $BUCKET and users $WORKER_S3_ACCESS_KEY (read-write), $GATEWAY_S3_ACCESS_KEY (read-only) are ready"
