#!/bin/sh
# Run by the postgres image's entrypoint once, when the data directory is empty: one login role and one database
# per owning service, each database reachable only by its owner. Names and passwords come from the environment
# (the passwords from the mp3-postgres Secret); psql variables quote them, so no value is ever spliced into SQL.
set -eu

create_database() {
  psql --set ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres \
    --set db="$1" --set owner="$2" --set password="$3" <<'SQL'
CREATE ROLE :"owner" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
}

create_database "$AUTH_DB" "$AUTH_DB_USER" "$AUTH_DB_PASSWORD"
create_database "$GATEWAY_DB" "$GATEWAY_DB_USER" "$GATEWAY_DB_PASSWORD"
create_database "$NOTIFIER_DB" "$NOTIFIER_DB_USER" "$NOTIFIER_DB_PASSWORD"
