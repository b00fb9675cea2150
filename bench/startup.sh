#!/usr/bin/env bash
# Start-up time and memory of each service, measured alone, as its image starts it: the Boot jar extracted (app.jar
# and lib/), its class-data sharing archive made by services/cds-training.sh, java -jar app.jar with that archive,
# against the local PostgreSQL and RabbitMQ, until /actuator/health/readiness answers UP; then the process's RSS.
# The JVM runs as in its container: services/jvm.options (the image's settings), the Deployment's JAVA_TOOL_OPTIONS
# from k8s/base/<service>.yaml, and -XX:MaxRAM set to the container's memory limit there (so the heap is sized
# from the limit, not from this machine's memory).
# Usage: mvn -q -DskipTests install && bench/startup.sh [--no-cds (no archive, for comparison)] [extra JVM options]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
cds=1
if [ "${1:-}" = "--no-cds" ]; then cds=0; shift; fi
jvm_opts=("$@")

# The container's settings of one service, as JVM options: its JAVA_TOOL_OPTIONS and its memory limit as MaxRAM.
container_opts() {
  local manifest="k8s/base/$1.yaml" tool limit
  tool=$(grep -A1 'name: JAVA_TOOL_OPTIONS' "$manifest" | sed -n 's/.*value: "\(.*\)"/\1/p')
  limit=$(awk '/limits:/ {in_limits = 1} in_limits && /memory:/ {print $2; exit}' "$manifest" \
    | sed 's/Mi$/m/; s/Gi$/g/')
  [ -n "$tool" ] && [ -n "$limit" ] || { echo "no JAVA_TOOL_OPTIONS or memory limit in $manifest" >&2; exit 1; }
  echo "$tool -XX:MaxRAM=$limit"
}
version=0.1.0-SNAPSHOT
declare -A port=([auth]=18081 [gateway]=18080 [worker]=18082 [notifier]=18083)
# The services refuse to start without strong secrets (docs/security.md, "Secrets at start-up"): fresh ones.
export MP3_INTERNAL_TOKEN="$(openssl rand -hex 32)" MP3_S3_ACCESS_KEY=bench MP3_S3_SECRET_KEY="$(openssl rand -hex 24)"
export MP3_RESEND_API_KEY="re_$(openssl rand -hex 16)"

psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='mp3_bench'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE mp3_bench"

printf '%-9s %12s %10s\n' service ready_s rss_MB
for svc in auth gateway worker notifier; do
  # The image's layout (services/Dockerfile): the jar extracted, and the archive trained on it (not timed).
  app="bench/target/app/$svc"
  rm -rf "$app"
  java -Djarmode=tools -jar "services/$svc/target/$svc-$version-exec.jar" extract --destination "$app" \
    --application-filename app.jar >/dev/null 2>&1
  archive=()
  if [ $cds = 1 ]; then
    services/cds-training.sh "$app" services/jvm.options >"/tmp/bench-$svc-cds.log" 2>&1 \
      || { echo "$svc: no class-data archive, see /tmp/bench-$svc-cds.log"; exit 1; }
    archive=(-XX:SharedArchiveFile=application.jsa)
  fi
  mgmt=$((port[$svc] + 1000))
  container=$(container_opts "$svc")
  start=$(date +%s.%N)
  # Started in the app folder as in the image (WORKDIR /app): the archive holds the class path as trained.
  (cd "$app" && SERVER_PORT=${port[$svc]} MANAGEMENT_SERVER_PORT=$mgmt \
    SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/mp3_bench?currentSchema=$svc \
    SPRING_FLYWAY_SCHEMAS=$svc \
    exec java @"$root"/services/jvm.options $container "${archive[@]}" "${jvm_opts[@]}" -jar app.jar \
    >"/tmp/bench-$svc.log" 2>&1) &
  pid=$!
  until curl -sf "http://127.0.0.1:$mgmt/actuator/health/readiness" >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || { echo "$svc died, see /tmp/bench-$svc.log"; exit 1; }
    sleep 0.1
  done
  ready=$(echo "$(date +%s.%N) - $start" | bc)
  sleep 2 # let start-up work settle before reading memory
  rss=$(( $(ps -o rss= -p $pid) / 1024 ))
  printf '%-9s %12.1f %10d\n' "$svc" "$ready" "$rss"
  kill $pid; wait $pid 2>/dev/null || true
done
