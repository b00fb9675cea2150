#!/usr/bin/env bash
# Class-data sharing for one service: records the classes the service loads while its Spring context refreshes
# into <app dir>/application.jsa, which the JVM then maps at start (-XX:SharedArchiveFile=application.jsa) instead
# of finding, parsing and verifying them again. The image runs it at build time, in its runtime stage so that the
# archive matches the JVM that uses it (services/Dockerfile), and bench/startup.sh runs it the same way, so the
# benchmark measures the image's start.
# The training run needs no infrastructure and keeps nothing: the context refreshes and the JVM exits before
# anything connects (spring.context.exit=onRefresh: no Camel route, listener or broker connection starts),
# Flyway is off and the readiness group does not insist on its contributor, the database and broker addresses
# lead nowhere, and the secrets are throwaway values of this run (the services refuse weak ones).
# Usage: services/cds-training.sh <app dir holding app.jar and lib/> <JVM options file>
set -euo pipefail
app=$1
options=$(realpath "$2")
hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$app"
rm -f application.jsa
env MP3_INTERNAL_TOKEN="$(hex 32)" MP3_S3_ACCESS_KEY=cds-training MP3_S3_SECRET_KEY="$(hex 24)" \
  MP3_RESEND_API_KEY="re_$(hex 16)" \
  SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:9/none SPRING_FLYWAY_ENABLED=false \
  MANAGEMENT_ENDPOINT_HEALTH_VALIDATE_GROUP_MEMBERSHIP=false SPRING_RABBITMQ_HOST=127.0.0.1 SPRING_RABBITMQ_PORT=9 \
  SERVER_PORT=0 MANAGEMENT_SERVER_PORT=0 MP3_WORK_DIR="$scratch/work" \
  java "@$options" -Djava.io.tmpdir="$scratch" -XX:ArchiveClassesAtExit=application.jsa -Xlog:cds=error \
    -Dspring.context.exit=onRefresh -jar app.jar
test -s application.jsa
