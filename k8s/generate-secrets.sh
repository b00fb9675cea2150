#!/usr/bin/env bash
# Writes a complete, random set of the git-ignored secret files that an overlay's secretGenerator reads:
#
#   k8s/generate-secrets.sh [--force] [OVERLAY_DIR]        (default OVERLAY_DIR: k8s/overlays/dev)
#
# Environment: MP3_HOST (default mp3.localhost) names the self-signed TLS certificate's host; MP3_RESEND_API_KEY,
# if set, is written as the Resend key (otherwise the example placeholder, which the notifier refuses to start
# with). NAMESPACE (default mp3) goes into the management URL that KEDA uses (as the broker's monitoring-only user
# "keda").
# Existing files are kept unless --force: the database passwords are fixed when PostgreSQL first initialises its
# volume, so new ones would lock the services out of a running system.
# Needs bash and openssl (1.1.1 or newer).
set -euo pipefail

force=false
if [[ "${1:-}" == "--force" ]]; then
  force=true
  shift
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
overlay="${1:-$here/overlays/dev}"
dir="$overlay/secrets"
host="${MP3_HOST:-mp3.localhost}"
namespace="${NAMESPACE:-mp3}"

if [[ ! -d "$dir" ]]; then
  echo "no secrets folder at $dir (is $overlay an overlay?)" >&2
  exit 2
fi
files=(postgres.env rabbitmq.env minio.env app.env auth-signing-key.pem tls.crt tls.key)
if [[ "$force" != true ]]; then
  for f in "${files[@]}"; do
    if [[ -e "$dir/$f" ]]; then
      echo "$dir/$f exists: keeping the current secrets (use --force to replace them all)" >&2
      exit 1
    fi
  done
fi

umask 077
hex() { openssl rand -hex "$1"; }

keda_password="$(hex 24)"
cat > "$dir/postgres.env" <<END
POSTGRES_PASSWORD=$(hex 24)
AUTH_DB_PASSWORD=$(hex 24)
GATEWAY_DB_PASSWORD=$(hex 24)
NOTIFIER_DB_PASSWORD=$(hex 24)
END
cat > "$dir/rabbitmq.env" <<END
RABBITMQ_ADMIN_USER=mp3-admin
RABBITMQ_ADMIN_PASSWORD=$(hex 24)
AUTH_RABBITMQ_PASSWORD=$(hex 24)
GATEWAY_RABBITMQ_PASSWORD=$(hex 24)
WORKER_RABBITMQ_PASSWORD=$(hex 24)
NOTIFIER_RABBITMQ_PASSWORD=$(hex 24)
KEDA_RABBITMQ_PASSWORD=$keda_password
RABBITMQ_MANAGEMENT_URL=http://keda:$keda_password@rabbitmq.$namespace.svc.cluster.local:15672/
END
cat > "$dir/minio.env" <<END
MINIO_ROOT_USER=mp3-admin
MINIO_ROOT_PASSWORD=$(hex 24)
GATEWAY_S3_ACCESS_KEY=mp3-gateway
GATEWAY_S3_SECRET_KEY=$(hex 24)
WORKER_S3_ACCESS_KEY=mp3-worker
WORKER_S3_SECRET_KEY=$(hex 24)
END
cat > "$dir/app.env" <<END
MP3_INTERNAL_TOKEN=$(hex 32)
MP3_DOWNLOAD_TOKEN_KEY=$(openssl rand -base64 32)
MP3_RESEND_API_KEY=${MP3_RESEND_API_KEY:-re_replace_with_your_resend_api_key}
MP3_HAWTIO_VIEWER_PASSWORD=$(hex 16)
MP3_HAWTIO_ADMIN_PASSWORD=$(hex 16)
END
openssl genpkey -algorithm ed25519 -out "$dir/auth-signing-key.pem" 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 \
  -subj "/CN=$host" -addext "subjectAltName=DNS:$host" \
  -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null

echo "wrote ${files[*]} to $dir"
if [[ -z "${MP3_RESEND_API_KEY:-}" ]]; then
  echo "note: MP3_RESEND_API_KEY is the example placeholder in $dir/app.env: the notifier refuses to start until a real key is there" >&2
fi
echo "note: tls.crt is self-signed for $host: replace tls.crt/tls.key with a real certificate outside development" >&2
