#!/usr/bin/env bash
# npm run db:drift: proves that supabase/schemas (the current definition) and supabase/migrations (the deployment
# history) build the same database; prints every difference and exits 1 when there is one.
#
#   scripts/db-drift.sh            two throwaway clusters: one migrated from supabase/migrations (platform script +
#                                  `supabase db push`, on DRIFT_DB_PORT+1), one built from local-supabase/platform.sql
#                                  and the schema files in the order of [db.migrations] schema_paths (DRIFT_DB_PORT,
#                                  default TEST_DB_PORT + 8, else 54376); both removed at exit
#   MIGRATIONS_URL=… scripts/db-drift.sh
#                                  compare with that database, already migrated from supabase/migrations (npm test
#                                  passes its own)
#   scripts/db-drift.sh --sql      print the draft of the next migration instead: the SQL that brings the migrations'
#                                  database to the schema files (scripts/schemas/sql.mjs; README.md, "Changing the
#                                  schema"); exits 0
#   SUPABASE_DIR=… scripts/db-drift.sh
#                                  the config.toml and schema files of another supabase/ folder (the tests use a copy)
#
# The schemas' database is the `postgres` database of its own cluster: pg_cron, and so the cron jobs, exist only in
# the database named by cron.database_name.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
mode=()
for a in "$@"; do
    case "$a" in
        --sql) mode+=(--sql) ;;
        *) echo "db-drift: unknown argument '$a' (--sql)" >&2; exit 2 ;;
    esac
done

# DRIFT_DB_PORT, else TEST_DB_PORT + 8 (so that runs with their own test ports do not meet), else 54376
PORT="${DRIFT_DB_PORT:-$((${TEST_DB_PORT:-54368} + 8))}"
export DB_FAST=1 DB_NAME=postgres
SCHEMAS_DIR="$ROOT/.local/drift-schemas-db-$$"
MIGRATIONS_DIR="$ROOT/.local/drift-migrations-db-$$"
own_migrations= # set when this script migrates its own cluster
cleanup() {
    DB_DIR="$SCHEMAS_DIR" DB_PORT="$PORT" "$ROOT/scripts/db.sh" destroy >/dev/null 2>&1 || true
    if [ -n "$own_migrations" ]; then
        DB_DIR="$MIGRATIONS_DIR" DB_PORT="$((PORT + 1))" "$ROOT/scripts/db.sh" destroy >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

# the migrations' database, in the background while the schemas' one is built
migrations_pid=
if [ -z "${MIGRATIONS_URL:-}" ]; then
    own_migrations=1
    MIGRATIONS_URL="postgresql://postgres@127.0.0.1:$((PORT + 1))/postgres"
    (
        export DB_DIR="$MIGRATIONS_DIR" DB_PORT="$((PORT + 1))"
        "$ROOT/scripts/db.sh" start 2>/dev/null && "$ROOT/scripts/db.sh" migrate 2>/dev/null
    ) &
    migrations_pid=$!
fi

SCHEMAS_URL="postgresql://postgres@127.0.0.1:${PORT}/postgres"
DB_DIR="$SCHEMAS_DIR" DB_PORT="$PORT" "$ROOT/scripts/db.sh" start 2>/dev/null
files=(-f local-supabase/platform.sql)
while IFS= read -r f; do files+=(-f "$f"); done < <(node scripts/schemas/files.mjs)
# one session, in order, stopping at the first error (which names the file and line)
psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres "${files[@]}" >/dev/null ||
    { echo "db-drift: supabase/schemas does not build (above: the file and line)" >&2; exit 1; }

if [ -n "$migrations_pid" ]; then
    wait "$migrations_pid" || { echo "db-drift: supabase/migrations do not migrate (.local/db-push.log)" >&2; exit 1; }
fi
node scripts/schemas/drift.mjs --migrations "$MIGRATIONS_URL" --schemas "$SCHEMAS_URL" "${mode[@]}"
