#!/usr/bin/env bash
# Load shedding of the gateway's intake: the authenticated POST /conversions rate the gateway sustains (a closed
# loop of 8 clients), then twice that rate (an open loop), then half of it again. Prints the answers by status
# code, whether every 429/503 carried a problem body and Retry-After, p50/p99 latency, the gateway's heap used
# before/during/after, and the success rate once the overload is over (bench/LoadShedding.java does the work).
# Needs the local PostgreSQL and RabbitMQ (rabbitmqctl); auth is not needed (the tool signs tokens and serves
# their JWKS), nor S3 or a worker (jobs stay queued in a virtual host of the benchmark's own, deleted at the end).
# Usage: mvn -q -DskipTests install && bench/load-shedding.sh [--intake] [JVM options for the gateway, default -Xmx256m]
# --intake: the issue-15 intake row instead (wrk 2 threads, 32 connections, 20 s, three runs; then 650 requests/s
# for 20 s, open loop; one user; LoadShedding.intakeRow). BENCH_OPTS passes -Dbench.* settings to the tool, e.g.
# BENCH_OPTS="-Dbench.users=2000 -Dbench.jfr=/tmp/intake.jfr" (a JFR profile of the wrk runs).
# --reject: the token-rejection row instead: GET /downloads/{forged token}, wrk 2 threads, 32 connections, 20 s,
# three runs right after readiness (no warm-up by the tool); the ready time, each run's rate and p99, and one answer
# (LoadShedding.rejectRow). -Dbench.jfr=FILE in BENCH_OPTS profiles the first run.
# The gateway's MP3_* settings (e.g. MP3_INTAKE_MAX_CONCURRENT, MP3_REQUEST_QUEUE) are passed through.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=()
if [ "${1:-}" = --intake ]; then mode=(-Dbench.mode=intake); shift; fi
if [ "${1:-}" = --reject ]; then mode=(-Dbench.mode=reject); shift; fi
jvm_opts=("$@")
[ ${#jvm_opts[@]} -gt 0 ] || jvm_opts=(-Xmx256m)
jar=${GATEWAY_JAR:-services/gateway/target/gateway-0.1.0-SNAPSHOT-exec.jar}
[ -f "$jar" ] || { echo "no $jar: run mvn -q -DskipTests install first"; exit 1; }
vhost=${BENCH_VHOST:-mp3-bench-load}
database=${BENCH_DATABASE:-mp3_bench_load}

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $database" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $database"
rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true
rabbitmqctl -q add_vhost "$vhost"
rabbitmqctl -q set_permissions -p "$vhost" guest '.*' '.*' '.*'
trap 'rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true; psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true' EXIT

echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), java $(java -version 2>&1 | head -1)"
java "${mode[@]}" ${BENCH_OPTS:-} bench/LoadShedding.java "$jar" "jdbc:postgresql://127.0.0.1:5432/$database" "$vhost" "${jvm_opts[@]}"
