#!/usr/bin/env bash
# Every row of docs/performance.md's table in one run (bench/Bench.java does the work): each service started
# alone, then the README's run command (all four services in one JVM) over a data folder of the benchmark's own
# (bench/target/data), against which it measures token rejection right after start, one job (3- and 30-minute
# WAVs; the 3-minute one also from a source sent at 25 MB/s) and a 20-job backlog against bare ffmpeg with the
# worker's flags on the same files in the same run, a 2 GB WAV through the worker started alone at -Xmx256m (its
# RSS sampled), intake (wrk and a 650 req/s open loop) and logins. Prints the table and writes it into docs/performance.md.
# Needs: the local PostgreSQL and RabbitMQ, ffmpeg, wrk (apt-get install -y wrk), a prior
#   mvn -q -DskipTests install
# Usage: bench/run.sh [--runs=N (default 3)] [--quick (one run, no 30-minute or 2 GB input)] [--no-startup] [--no-write]
#   [--jobs-only (the one-job and backlog rows only, nothing written: for trying a change to the worker)]
# Everything listens on loopback; every phase is bounded. Takes about 15 minutes (3 runs).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "bench/run.sh needs wrk (apt-get install -y wrk)"; exit 1; }
for svc in auth gateway worker notifier; do
  [ -f "services/$svc/target/$svc-0.1.0-SNAPSHOT-exec.jar" ] || { echo "run mvn -q -DskipTests install first"; exit 1; }
done
exec java bench/Bench.java "$@"
