#!/usr/bin/env bash
# npm start: the whole product on this machine without Docker.
#   PostgreSQL 15 (persistent cluster in .local/db, port 54322): started, migrated with `supabase db push` (only the
#   new migrations), seeded only when its database is empty (a new cluster);
#   the Supabase-compatible API on 54321 (local-supabase/api/server.js: auth, rpc, edge functions under Deno);
#   the dashboard on 3000 (web/dist, built by `npm run build`, served by local-supabase/web-server.js);
#   a development mail server with a web inbox (MailDev, npm): SMTP on 54325, inbox on http://127.0.0.1:54324. The
#   edge functions get SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASS, SMTP_FROM, SMTP_SECURE from the environment, or
#   MailDev's when SMTP_HOST is not set (digest emails, create-coach's magic links); the API sends pg_net's requests
#   (PG_NET_WORKER=1) and Vault holds the project URL and service role key, so pg_cron's send-digests job runs as on
#   Supabase.
# Prints the URLs, demo logins and keys. Ctrl-C stops what this script started (the database only if it started it);
# the data folder stays, so the next `npm start` finds everything again. `npm run db:reset` re-creates it.
# Environment: API_PORT (54321), WEB_PORT (3000), DB_PORT (54322), DB_DIR (.local/db), APP_URL, API_EXTERNAL_URL,
# DENO_DIR (Deno's cache: the functions' dependencies are cached there at set-up), SKIP_BUILD=1, MAIL_WEB_PORT (54324),
# MAIL_SMTP_PORT (54325), SMTP_* (above).
# The page is built against this stack's API (API_EXTERNAL_URL), whatever the ports.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

SKIP_BROWSER_DEPS=1 scripts/ensure-deps.sh

export DB_DIR="${DB_DIR:-$ROOT/.local/db}"
export DB_PORT="${DB_PORT:-54322}"
export API_PORT="${API_PORT:-54321}"
export WEB_PORT="${WEB_PORT:-3000}"
export DATABASE_URL="postgresql://postgres@127.0.0.1:${DB_PORT}/postgres"
export APP_URL="${APP_URL:-http://127.0.0.1:${WEB_PORT}}"
export API_EXTERNAL_URL="${API_EXTERNAL_URL:-http://127.0.0.1:${API_PORT}}"
export MAIL_WEB_PORT="${MAIL_WEB_PORT:-54324}"
export MAIL_SMTP_PORT="${MAIL_SMTP_PORT:-54325}"

PIDS=()
STOP_DB=0
cleanup() {
    trap - INT TERM EXIT
    echo
    echo "start: stopping…"
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ "$STOP_DB" = 1 ]; then scripts/db.sh stop || true; fi
    echo "start: stopped (data kept in $DB_DIR)"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for port in "$API_PORT" "$WEB_PORT" "$MAIL_WEB_PORT" "$MAIL_SMTP_PORT"; do
    if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "start: port $port is already in use (another npm start, or supabase start?)" >&2
        exit 1
    fi
done

if [ "$(scripts/db.sh status)" != running ]; then STOP_DB=1; fi
scripts/db.sh start
if ! scripts/db.sh migrate; then
    echo "start: migrating $DB_DIR failed (see above). If a migration older than the last applied one was added," >&2
    echo "start: \`npm run db:reset\` re-creates the local database from migrations and seed (its data is lost)." >&2
    exit 1
fi
if [ "$(scripts/db.sh psql -tAc 'select not exists (select 1 from auth.users) and not exists (select 1 from public.coachs)')" = t ]; then
    scripts/db.sh seed
fi

ANON_KEY="$(node -e 'import("./local-supabase/api/jwt.js").then(m => console.log(m.LOCAL_ANON_KEY))')"
SERVICE_ROLE_KEY="$(node -e 'import("./local-supabase/api/jwt.js").then(m => console.log(m.LOCAL_SERVICE_ROLE_KEY))')"

if [ "${SKIP_BUILD:-}" != 1 ] && node -e 'process.exit(require("./package.json").scripts?.build ? 0 : 1)'; then
    # the page talks to this stack's API, on whatever port it listens (not a SUPABASE_URL of the environment)
    SUPABASE_URL="$API_EXTERNAL_URL" SUPABASE_ANON_KEY="$ANON_KEY" npm run --silent build
fi

# The development mail server (its inbox in memory: emails go with it), and SMTP_* pointing at it unless set.
node_modules/.bin/maildev --smtp "$MAIL_SMTP_PORT" --ip 127.0.0.1 --web "$MAIL_WEB_PORT" --web-ip 127.0.0.1 --silent &
PIDS+=($!)
if [ -z "${SMTP_HOST:-}" ]; then
    export SMTP_HOST=127.0.0.1 SMTP_PORT="$MAIL_SMTP_PORT" SMTP_SECURE=false
    export SMTP_FROM="${SMTP_FROM:-Coach Setter <resume@coach-setter.local>}"
    unset SMTP_USER SMTP_PASS
fi
# What an operator stores in Vault on Supabase for the send-digests cron job (docs/deployment.md), here for this stack.
scripts/db.sh psql -q -v ON_ERROR_STOP=1 -v url="$API_EXTERNAL_URL" -v key="$SERVICE_ROLE_KEY" >/dev/null <<'SQL'
delete from vault.secrets where name in ('project_url', 'service_role_key');
select vault.create_secret(:'url', 'project_url', 'npm start: the local API'),
    vault.create_secret(:'key', 'service_role_key', 'npm start: the local service role key');
SQL

PG_NET_WORKER=1 node local-supabase/api/server.js &
PIDS+=($!)
node local-supabase/web-server.js &
PIDS+=($!)

for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$API_PORT/health" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$WEB_PORT/health" >/dev/null 2>&1 &&
        curl -sf "http://127.0.0.1:$MAIL_WEB_PORT/api/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done

cat <<INFO

  Coach Setter is running (Ctrl-C stops it)

  Dashboard      $APP_URL
  API URL        $API_EXTERNAL_URL   (auth /auth/v1, rpc /rest/v1/rpc, functions /functions/v1)
  Database       $DATABASE_URL
  Mail inbox     http://127.0.0.1:$MAIL_WEB_PORT   (MailDev: digest emails, magic links; SMTP $SMTP_HOST:$SMTP_PORT)
  anon key       $ANON_KEY
  service_role   $SERVICE_ROLE_KEY

  Demo logins    admin@example.com   admin-demo-2026   (admin)
                 julie@example.com   coach-demo-2026   (coach, 300 leads over 120 days)
                 karim@example.com   coach-demo-2026   (coach, 80 leads)
                 sophie@example.com  coach-demo-2026   (coach, 45 leads, Montréal time)
                 lucas@example.com   legacy coach without an account: invite it with create-coach

  Create a coach:
    curl -X POST '$API_EXTERNAL_URL/functions/v1/create-coach' \\
      -H "Authorization: Bearer \$SERVICE_ROLE_KEY" -H 'Content-Type: application/json' \\
      -d '{"email":"nouveau@coach.fr","name":"Nouveau Coach","specialty":"fitness"}'

  Send the digest emails now (then read them in the mail inbox):
    npm run digest:send                       # the digests due (last week's, every coach)
    npm run digest:send -- --coach c0000000-0000-4000-8000-000000000001 --week 2026-W49

INFO
wait -n "${PIDS[@]}" || true
echo "start: a server exited; stopping the rest" >&2
