#!/usr/bin/env bash
# Local PostgreSQL 15 clusters for the project: start, stop, migrate (platform + `supabase db push`), seed, reset.
#
#   scripts/db.sh start|stop|status|migrate|seed|reset|destroy|url|psql [args]
#
# Environment: DB_DIR (data folder, default .local/db), DB_PORT (default 54322), DB_NAME (default postgres),
# DB_FAST=1 (throwaway cluster: fsync off). PostgreSQL refuses to run as root: as root the server runs as the
# `postgres` system user, which owns the data folder.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PG_BIN=/usr/lib/postgresql/15/bin
DB_DIR="${DB_DIR:-$ROOT/.local/db}"
DB_PORT="${DB_PORT:-54322}"
DB_NAME="${DB_NAME:-postgres}"
# DB_URL_PARAMS: more query parameters for the push's connection (startup settings), e.g. the override of the legacy
# guard (docs/upgrade.md) that npm test gives the database it upgrades by a plain push.
DB_URL="postgresql://postgres@127.0.0.1:${DB_PORT}/${DB_NAME}?sslmode=disable${DB_URL_PARAMS:+&$DB_URL_PARAMS}"

log() { echo "db: $*" >&2; }

as_owner() { # run a server command as the cluster owner
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# As root the `postgres` user must reach the data folder; a project under a folder it cannot enter (/root is mode
# 700, and so is any folder made with mkdtemp) is not reachable, so the data then lives under /var/tmp and DB_DIR
# becomes a link to it. Every server command is then given the real path (PG_DATA): postgres cannot follow a link
# that sits in a folder it cannot enter.
resolve_dir() {
    if [ "$(id -u)" = 0 ]; then
        mkdir -p "$(dirname "$DB_DIR")"
        # a link whose data folder was removed (e.g. /var/tmp cleaned) is made again below
        if [ -L "$DB_DIR" ] && [ ! -e "$DB_DIR" ]; then rm -f "$DB_DIR"; fi
        # an empty folder left by an earlier failed run is replaced by the link
        if [ -d "$DB_DIR" ] && [ ! -L "$DB_DIR" ] && [ -z "$(ls -A "$DB_DIR")" ] && ! runuser -u postgres -- test -x "$DB_DIR"; then
            rmdir "$DB_DIR"
        fi
        if [ ! -e "$DB_DIR" ] && ! runuser -u postgres -- test -x "$(dirname "$DB_DIR")"; then
            local real
            real="/var/tmp/coach-setter-db/$(echo "$DB_DIR" | sha1sum | cut -c1-12)"
            mkdir -p "$real" && chown postgres: "$real" && chmod 700 "$real"
            chmod 755 /var/tmp/coach-setter-db
            ln -s "$real" "$DB_DIR"
            log "data folder $DB_DIR -> $real (postgres cannot reach the project folder)"
        fi
    fi
    PG_DATA="$(readlink -f "$DB_DIR" 2>/dev/null || echo "$DB_DIR")"
}

psql_run() {
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$DB_PORT" -U postgres -d "$DB_NAME" "$@"
}

cmd_init() {
    resolve_dir
    if [ -f "$DB_DIR/PG_VERSION" ]; then return 0; fi
    mkdir -p "$DB_DIR"
    PG_DATA="$(readlink -f "$DB_DIR")"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$PG_DATA"; fi
    chmod 700 "$PG_DATA"
    log "initdb $DB_DIR"
    as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    {
        echo "# coach-setter local cluster"
        echo "listen_addresses = '127.0.0.1'"
        echo "port = $DB_PORT"
        echo "unix_socket_directories = ''"
        echo "shared_preload_libraries = 'pg_cron'"
        echo "cron.database_name = 'postgres'"
        echo "timezone = 'UTC'"
        echo "max_connections = 200"
        echo "logging_collector = off"
        if [ "${DB_FAST:-}" = 1 ]; then
            echo "fsync = off"
            echo "synchronous_commit = off"
            echo "full_page_writes = off"
        fi
    } | as_owner tee -a "$PG_DATA/postgresql.conf" >/dev/null
}

is_running() { as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

cmd_start() {
    cmd_init
    if is_running; then log "already running on $DB_PORT"; return 0; fi
    # A port found taken is tried again (5 times, 2 s apart), as PostgreSQL's hint says: our ports lie in Linux's
    # ephemeral range (32768-60999), so another process's outgoing connection can hold one for a moment.
    local attempt
    for attempt in 1 2 3 4 5; do
        if as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start >/dev/null; then
            log "PostgreSQL 15 on 127.0.0.1:$DB_PORT ($DB_DIR)"
            return 0
        fi
        if [ "$attempt" -lt 5 ] && grep -q 'Address already in use' <<<"$(tail -20 "$PG_DATA/server.log" 2>/dev/null)"; then
            log "port $DB_PORT taken, trying again in 2 s"
            sleep 2
            continue
        fi
        tail -20 "$PG_DATA/server.log" >&2 || true
        return 1
    done
}

cmd_stop() {
    [ -f "$DB_DIR/PG_VERSION" ] || return 0
    if is_running; then as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null; log "stopped"; fi
}

cmd_migrate() {
    if [ "$DB_NAME" != postgres ]; then
        psql -X -q -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres -tAc \
            "select 1 from pg_database where datname = '$DB_NAME'" | grep -q 1 ||
            psql -X -q -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres -c "create database \"$DB_NAME\""
    fi
    psql_run -f "$ROOT/local-supabase/platform.sql" >/dev/null
    (cd "$ROOT" && npx --no-install supabase db push --db-url "$DB_URL" --yes >/dev/null 2>"$ROOT/.local/db-push.log") || {
        cat "$ROOT/.local/db-push.log" >&2
        return 1
    }
    # pg_cron's launcher caches the jobs; after 20261201145442 drops and creates the extension again (pg_catalog), it
    # misses the jobs scheduled later in the same server's life (kpi-upkeep never ran) until the configuration is
    # reloaded. On Supabase pg_cron already is in pg_catalog: that migration changes nothing there.
    psql_run -c "select pg_catalog.pg_reload_conf()" >/dev/null
    log "migrations applied to $DB_NAME"
}

cmd_seed() {
    psql_run -f "$ROOT/supabase/seed.sql" >/dev/null
    log "seeded $DB_NAME"
}

cmd_destroy() {
    cmd_stop
    if [ -L "$DB_DIR" ]; then rm -rf "$(readlink -f "$DB_DIR")"; fi
    rm -rf "$DB_DIR"
}

mkdir -p "$ROOT/.local"
PG_DATA="$(readlink -f "$DB_DIR" 2>/dev/null || echo "$DB_DIR")"
case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) is_running && echo running || echo stopped ;;
    migrate) cmd_migrate ;;
    seed) cmd_seed ;;
    reset) cmd_destroy; cmd_start; cmd_migrate; cmd_seed ;;
    destroy) cmd_destroy ;;
    url) echo "$DB_URL" ;;
    psql) shift; psql_run "$@" ;;
    *) echo "usage: $0 start|stop|status|migrate|seed|reset|destroy|url|psql" >&2; exit 2 ;;
esac
