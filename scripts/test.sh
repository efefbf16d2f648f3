#!/usr/bin/env bash
# npm test: the whole suite on a throwaway PostgreSQL 15 cluster, from a fresh clone.
# Installs what is missing, migrates with the real Supabase CLI, seeds, runs pgTAP (pg_prove) and the Node suites,
# and removes the cluster whatever happens. Exits non-zero on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

"$ROOT/scripts/ensure-deps.sh"

export DB_DIR="$ROOT/.local/test-db-$$"
export DB_PORT="${TEST_DB_PORT:-54332}"
export DB_FAST=1
export DATABASE_URL="postgresql://postgres@127.0.0.1:${DB_PORT}/postgres"
# Cleanups run in reverse order on exit, whatever happens. Steps register theirs with on_exit; never call trap.
CLEANUPS=()
on_exit() { CLEANUPS+=("$*"); }
run_cleanups() {
    local i
    for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do eval "${CLEANUPS[$i]}" || true; done
}
trap run_cleanups EXIT
on_exit 'DB_NAME=postgres "$ROOT/scripts/db.sh" destroy'

step() { printf '\n== %s\n' "$*"; }

# The newcomer test (last step) runs this whole script again from a clone (COACH_NESTED_TEST=1). That nested run
# proves the set-up, the ports and the folders (install, cluster, migrate, drift, pgTAP, advisor, legacy upgrade,
# build, types, the API suite on its own ports); it skips the Node suites that only need a database, the browser
# suite and the timed benches, which this outer run has just run on the same code (nested() says so in its output).
nested() { [ "${COACH_NESTED_TEST:-}" = 1 ] && echo "   skipped in the newcomer's nested run: the outer npm test runs it on the same code"; }

step "lint: squawk and the naming rules over the migrations newer than those landed before the lint"
node scripts/lint-migrations.js

step "database: migrate and seed (port $DB_PORT)"
scripts/db.sh start
scripts/db.sh migrate

step "drift: supabase/schemas builds the same database as supabase/migrations (npm run db:drift)"
MIGRATIONS_URL="$DATABASE_URL" scripts/db-drift.sh

scripts/gen-docs.sh --check
scripts/db.sh seed
# As a second `npm start` does: the platform script and `db push` again on the migrated database change nothing
# (e.g. they must not widen the default privileges a migration narrowed; pgTAP 07 checks them).
scripts/db.sh migrate

prove() { # prove <database> <files...>
    local db="$1"; shift
    pg_prove --host 127.0.0.1 --port "$DB_PORT" --username postgres --dbname "$db" --failures "$@"
}

step "pgTAP: supabase/tests"
prove postgres supabase/tests/*.sql

step "advisor: Supabase's database advisor silent at WARN (dblint + splinter 0028/0029; accepted by name: supabase/advisor-accepted.json)"
node scripts/advisor.mjs

step "upgrade of a legacy database, the documented way (docs/upgrade.md): a plain push refused, then prepare.js and push.sh"
# legacy: the legacy tables with every case the upgrade must handle, upgraded the documented way; legacy_direct: the
# rows a plain `supabase db push` could upgrade, upgraded that way (as before the documented path existed: the
# guard's documented override). Both must end in the fresh schema; the first must have lost nothing. Both have a
# kpi_daily whose created_at/updated_at were nullable.
legacy_db() { # legacy_db <name> <fixture files...>
    local name="$1"; shift
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres -c "create database $name"
    local files=(-f local-supabase/platform.sql -f scripts/upgrade/legacy-schema.sql)
    for f in "$@"; do files+=(-f "$f"); done
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$DB_PORT" -U postgres -d "$name" "${files[@]}" >/dev/null
}
legacy_db legacy tests/legacy/fixture.sql tests/legacy/fixture-cases.sql tests/legacy/fixture-kpi-daily-timestamps.sql
# a plain push first: the guard of 20261125000100 refuses it before any change (tests/upgrade checks its message and
# that nothing changed); the documented path then upgrades the same database
if DB_NAME=legacy scripts/db.sh migrate 2>"$ROOT/.local/legacy-push-$$.log"; then
    echo "a plain supabase db push on the unprepared legacy database was not refused" >&2; exit 1
fi
grep -q 'supabase db push refused: this is a legacy database .*docs/upgrade\.md' "$ROOT/.local/legacy-push-$$.log" ||
    { cat "$ROOT/.local/legacy-push-$$.log" >&2; exit 1; }
rm -f "$ROOT/.local/legacy-push-$$.log"
LEGACY_URL="postgresql://postgres@127.0.0.1:${DB_PORT}/legacy?sslmode=disable"
node scripts/upgrade/prepare.js --db-url "$LEGACY_URL" --quiet
scripts/upgrade/push.sh --db-url "$LEGACY_URL"
legacy_db legacy_direct tests/legacy/fixture.sql tests/legacy/fixture-kpi-daily-timestamps.sql
DB_NAME=legacy_direct DB_URL_PARAMS=legacy_upgrade.plain_push=accept_loss scripts/db.sh migrate
# the reference: a fresh database of the same kind (not `postgres`, the only one where pg_cron runs)
DB_NAME=fresh scripts/db.sh migrate
prove legacy tests/legacy/*_test.sql
prove legacy_direct tests/legacy/01_upgrade_test.sql tests/legacy/03_kpi_daily_timestamps_test.sql
nested || node --test --test-concurrency=1 tests/upgrade/

step "upgrade at a tiny scale with n8n-like writes going on (npm run bench -- --upgrade --tiny --check)"
# The same path on generated legacy data while writers and readers work: fails when a count differs, a counter is
# wrong, the schema differs from a fresh one, a write fails, or a lock wait exceeds 1 s (reads) / 2 s (writes).
nested || node scripts/bench/run.js --upgrade --tiny --check --no-report --existing-cluster --db-port "$DB_PORT"

step "Node: database suites"
nested || node --test --test-concurrency=1 tests/db/

step "web: type check, build (size budget), nginx config"
export WEB_DIST="$ROOT/.local/test-web-$$" # this run's own build: concurrent runs never share web/dist
on_exit 'rm -rf "$WEB_DIST"'
npm run --silent typecheck
npm run --silent build
node --test tests/web/

step "types: supabase/functions/_shared/database.ts is up to date with the migrations; the functions type-check"
scripts/gen-types.sh --check
for fn in supabase/functions/*/index.ts; do
    case "$fn" in supabase/functions/_*) continue ;; esac
    npx --no-install deno check --quiet --config "$(dirname "$fn")/deno.json" "$fn"
done

step "API: local Supabase stand-in (auth, rest rpc, functions under Deno) and create-coach, through supabase-js"
# Starts local-supabase/api/server.js on TEST_API_PORT against the test database; it keeps running until the end of
# npm test (stopped by on_exit), so later steps (browser tests) reuse it at $API_URL.
export API_PORT="${TEST_API_PORT:-54331}"
export API_URL="http://127.0.0.1:${API_PORT}"
# APP_URL: where magic links redirect (the page of later steps): never port 3000 in tests.
export APP_URL="${TEST_APP_URL:-http://127.0.0.1:${TEST_WEB_PORT:-54330}}"
API_LOG="$ROOT/.local/test-api-$$.log"
# The functions never reach Telegram in tests: a local server that answers like the Telegram Bot API, on a free port
# (local-supabase/telegram-api.js), is their TELEGRAM_API_URL (the e2e of the Telegram settings reads what it got).
TELEGRAM_URL_FILE="$ROOT/.local/test-telegram-$$.url"
node local-supabase/telegram-api.js --port 0 --url-file "$TELEGRAM_URL_FILE" >/dev/null 2>&1 &
TELEGRAM_PID=$!
on_exit "kill $TELEGRAM_PID 2>/dev/null; wait $TELEGRAM_PID 2>/dev/null; rm -f '$TELEGRAM_URL_FILE'"
for _ in $(seq 1 100); do [ -s "$TELEGRAM_URL_FILE" ] && break; sleep 0.1; done
TELEGRAM_API_URL="$(cat "$TELEGRAM_URL_FILE")"
export TELEGRAM_API_URL
node local-supabase/api/server.js >"$API_LOG" 2>&1 &
export API_PID=$! # the crash test of create-coach kills this API's Deno child
on_exit "kill $API_PID 2>/dev/null; wait $API_PID 2>/dev/null; rm -f '$API_LOG'"
for _ in $(seq 1 100); do
    curl -sf "$API_URL/health" >/dev/null 2>&1 && break
    kill -0 "$API_PID" 2>/dev/null || { cat "$API_LOG" >&2; exit 1; }
    sleep 0.1
done
node --test --test-concurrency=1 tests/api/ || { echo "-- API log ($API_LOG):" >&2; tail -50 "$API_LOG" >&2; exit 1; }

step "browser: the page in Chromium against the stack (screenshots in artifacts/)"
# The page built for this run's API, served by the local static server on APP_URL's port (the magic links of
# create-coach redirect there).
E2E_DIST="$ROOT/.local/test-web-e2e-$$"
E2E_WEB_LOG="$ROOT/.local/test-web-e2e-$$.log"
SUPABASE_URL="$API_URL" WEB_DIST="$E2E_DIST" npm run --silent build >/dev/null
WEB_PORT="$(node -e 'const u = new URL(process.argv[1]); console.log(u.port || 80)' "$APP_URL")" \
    WEB_DIST="$E2E_DIST" node local-supabase/web-server.js >"$E2E_WEB_LOG" 2>&1 &
E2E_WEB_PID=$!
on_exit "kill $E2E_WEB_PID 2>/dev/null; wait $E2E_WEB_PID 2>/dev/null; rm -rf '$E2E_DIST' '$E2E_WEB_LOG'"
for _ in $(seq 1 100); do
    curl -sf "$APP_URL/login" >/dev/null 2>&1 && break
    kill -0 "$E2E_WEB_PID" 2>/dev/null || { cat "$E2E_WEB_LOG" >&2; exit 1; }
    sleep 0.1
done
nested || node --test --test-concurrency=1 tests/e2e/ || { echo "-- API log ($API_LOG):" >&2; tail -50 "$API_LOG" >&2; exit 1; }

step "bench: npm run bench once at a tiny scale (nothing timed is asserted; a failing measured call, or a measurement without numbers such as the upkeep passes during ingestion, fails)"
nested || node scripts/bench/run.js --scale 0.002 --coaches 3 --growth 2 --seconds 2 --no-report --existing-cluster --db-port "$DB_PORT"

if [ "${COACH_NESTED_TEST:-}" != 1 ]; then
    step "newcomer: npm test and npm start (other ports, empty Deno cache) from a clone in a mode-700 folder"
    # ports CLONE_TEST_PORT_BASE (default 55600) to +15; skipped inside that nested run (it would recurse)
    node --test --test-concurrency=1 tests/newcomer/
fi
