#!/bin/sh
# Makes sure the bucket exists and that the services' S3 user (S3_ACCESS_KEY) exists with a policy limited to that
# bucket. Safe to run any number of times. Shell built-ins, cat, sleep and mc only: the mc image is minimal.
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

# The services read and write the bucket's objects and list it (the S3 component checks the bucket at start-up);
# nothing else, and no other bucket.
policy="${TMPDIR:-/tmp}/mp3-app-policy.json"
cat > "$policy" <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket"], "Resource": ["arn:aws:s3:::$BUCKET"]},
    {"Effect": "Allow",
     "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
     "Resource": ["arn:aws:s3:::$BUCKET/*"]}
  ]
}
POLICY
mc admin policy create mp3 mp3-app "$policy"
# Adding an existing user updates its secret key, so a rotated S3_SECRET_KEY takes effect here.
mc admin user add mp3 "$S3_ACCESS_KEY" "$S3_SECRET_KEY"
case "$(mc admin user info mp3 "$S3_ACCESS_KEY")" in
  *mp3-app*) ;;
  *) mc admin policy attach mp3 mp3-app --user "$S3_ACCESS_KEY" ;;
esac
echo "bucket $BUCKET and user $S3_ACCESS_KEY are ready"
