#!/usr/bin/env bash
# scripts/upgrade/push.sh: `supabase db push` for a live database, each migration bounded in lock waits.
#
#   scripts/upgrade/push.sh --db-url <postgresql://...> [--lock-timeout 500ms] [--attempts 20] [--wait 15]
#                           [--workdir <folder holding supabase/>]
#
# The CLI runs each migration file as one transaction and sends `RESET ALL` before each file; a lock_timeout given as
# a connection (startup) parameter survives that reset, so it bounds every migration, the landed ones that set none
# included: a statement that waits longer for a lock fails (SQLSTATE 55P03) instead of queueing, with every reader
# of that table behind it, behind the 5-minute refresh or an n8n batch. The failed migration is rolled back whole
# and not recorded (a CREATE INDEX CONCURRENTLY that gave up leaves an INVALID index, which is dropped first); this
# script waits and pushes again, which goes on from that migration (up to --attempts). Any other error stops at once. Extra arguments after -- go to `supabase db push`.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DB_URL="${DATABASE_URL:-}"
LOCK_TIMEOUT=500ms
ATTEMPTS=20
WAIT=15
EXTRA=()
WORKDIR="$ROOT"
while [ $# -gt 0 ]; do
    case "$1" in
        --db-url) DB_URL="$2"; shift 2 ;;
        --lock-timeout) LOCK_TIMEOUT="$2"; shift 2 ;;
        --attempts) ATTEMPTS="$2"; shift 2 ;;
        --wait) WAIT="$2"; shift 2 ;;
        --workdir) WORKDIR="$2"; shift 2 ;;
        --) shift; EXTRA=("$@"); break ;;
        *) echo "push: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$DB_URL" ] || { echo "push: --db-url (or DATABASE_URL) is required" >&2; exit 2; }
case "$DB_URL" in
    *lock_timeout=*) URL="$DB_URL" ;;
    *\?*) URL="${DB_URL}&lock_timeout=${LOCK_TIMEOUT}" ;;
    *) URL="${DB_URL}?lock_timeout=${LOCK_TIMEOUT}" ;;
esac

cd "$WORKDIR"
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
for attempt in $(seq 1 "$ATTEMPTS"); do
    if "$ROOT/node_modules/.bin/supabase" db push --db-url "$URL" --yes "${EXTRA[@]}" >"$LOG" 2>&1; then
        grep -E '^(Applying|Finished|Remote database is up to date)' "$LOG" >&2 || true
        exit 0
    fi
    grep -E '^Applying' "$LOG" >&2 || true
    if grep -qE 'SQLSTATE (55P03|40P01)' "$LOG" && [ "$attempt" -lt "$ATTEMPTS" ]; then
        failed="$(grep -oE '^Applying migration [^ ]+\.sql' "$LOG" | tail -1 | cut -d' ' -f3)"
        echo "push: attempt $attempt: $failed gave up waiting for a lock ($(grep -oE 'SQLSTATE (55P03|40P01)' "$LOG" | head -1)); it was rolled back; again in ${WAIT}s" >&2
        # A CREATE INDEX CONCURRENTLY that gave up leaves an INVALID index: dropped, so the next attempt builds it.
        [ -n "$failed" ] && node "$ROOT/scripts/upgrade/invalid-indexes.js" --db-url "$DB_URL" --drop-from "supabase/migrations/$failed"
        sleep "$WAIT"
        continue
    fi
    cat "$LOG" >&2
    exit 1
done
